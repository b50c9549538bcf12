// Your devices (issue 17, item 5): sessions are recorded at sign-in with browser and address,
// listed with "this device", last seen at most once a minute; signing one out revokes its sid and
// closes its sockets at once on every node (two real nodes over Redis, real socket.io clients);
// "sign out everywhere else" keeps this one.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { apiUserFrom } from "@/lib/auth/session";
import { db, disconnectDb } from "@/lib/db/client";
import { endSessionSockets, setRealtime } from "@/lib/realtime/server/registry";
import {
  endDevice,
  endOtherDevices,
  listDevices,
  TOUCH_INTERVAL_MS,
  touchSession,
} from "@/lib/sessions/devices.service";
import { parseUserAgent } from "@/lib/sessions/user-agent";
import { MemoryState } from "@/lib/state/shared-state";
import { makeUser } from "./helpers/fixtures";
import { secret as authSecret, SESSION, signInWith } from "./helpers/next-auth";
import {
  connectAs,
  connected,
  handshake,
  startRealtime,
  startTwoNodes,
  type TestClient,
} from "./helpers/realtime";
import { externalRedisUrl } from "./helpers/services";

const password = "correct horse battery";
const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0";
const CHROME_ANDROID =
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(() => disconnectDb());

async function signedInTwice() {
  const user = await makeUser("dev");
  const a = (await signInWith({ username: user.username, password }, FIREFOX_MAC)).session ?? "";
  const b = (await signInWith({ username: user.username, password }, CHROME_ANDROID)).session ?? "";
  const rows = await db().session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
  expect(rows).toHaveLength(2);
  return { user, a, b, sidA: rows[0]?.sid ?? "", sidB: rows[1]?.sid ?? "" };
}

const live = (cookie: string) =>
  apiUserFrom({ cookies: { [SESSION]: cookie } }, authSecret()).then(
    () => true,
    () => false,
  );

function closedByServer(s: TestClient, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms);
    let reason = "(none)";
    s.once("socket:closing", (c) => {
      reason = c.reason;
    });
    s.once("disconnect", () => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe("user agents", () => {
  it("names common browsers and systems", () => {
    expect(parseUserAgent(FIREFOX_MAC)).toEqual({ browser: "Firefox 128", os: "macOS" });
    expect(parseUserAgent(CHROME_ANDROID)).toEqual({ browser: "Chrome 126", os: "Android" });
    expect(
      parseUserAgent(
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
      ),
    ).toEqual({ browser: "Edge 126", os: "Windows" });
    expect(
      parseUserAgent(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
      ),
    ).toEqual({ browser: "Safari 17", os: "iOS" });
    expect(parseUserAgent("")).toEqual({ browser: "Unknown browser", os: "Unknown system" });
  });
});

describe("your devices", () => {
  it("lists each session with browser, system, address and this device", async () => {
    const { user, sidA, sidB } = await signedInTwice();
    const list = await listDevices(user, sidA);
    expect(list.map((d) => [d.sid, d.browser, d.os, d.ip, d.current])).toEqual([
      [sidA, "Firefox 128", "macOS", "203.0.113.7", true],
      [sidB, "Chrome 126", "Android", "203.0.113.7", false],
    ]);
    // Another user sees none of them, and cannot end them (404, like a sid that never was).
    const other = await makeUser("oth");
    expect(await listDevices(other, "x".repeat(22))).toEqual([]);
    await expect(endDevice(other, "x".repeat(22), { sid: sidB })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(endDevice(user, sidA, { sid: sidA })).rejects.toMatchObject({ code: "bad_request" });
    await expect(endDevice(user, sidA, { sid: "nope" })).rejects.toMatchObject({ code: "validation" });
  });

  it("marks last seen at most once a minute, without waiting for the database", async () => {
    const { user, sidA } = await signedInTwice();
    const info = { sid: sidA, userId: user.id, sessionVersion: 0, userAgent: FIREFOX_MAC, ip: "203.0.113.7" };
    const t0 = Date.now();
    expect(touchSession(info, t0)).toBe(false); // just recorded at sign-in
    await db().session.update({ where: { sid: sidA }, data: { lastSeenAt: new Date(t0 - 10 * 60_000) } });
    expect(touchSession(info, t0 + TOUCH_INTERVAL_MS)).toBe(true);
    expect(touchSession(info, t0 + TOUCH_INTERVAL_MS + 1000)).toBe(false);
    await expect
      .poll(async () => (await db().session.findUniqueOrThrow({ where: { sid: sidA } })).lastSeenAt.getTime())
      .toBeGreaterThan(t0 - 60_000);
  });

  it("signing out one session refuses its cookie and closes its socket with socket:closing", async () => {
    const node = await startRealtime(new MemoryState());
    cleanup.push(() => node.close());
    setRealtime(node.io);
    const { user, a, b, sidA, sidB } = await signedInTwice();
    const sa = await connectAs(node.url, null, `${SESSION}=${a}`);
    const sb = await connectAs(node.url, null, `${SESSION}=${b}`);
    cleanup.push(async () => {
      sa.close();
      sb.close();
    });
    await Promise.all([connected(sa), connected(sb)]);
    const closing = closedByServer(sb);
    endSessionSockets(await endDevice(user, sidA, { sid: sidB }));
    expect(await closing).toBe("signed_out");
    expect(await live(b)).toBe(false);
    expect(await handshake(node.url, `${SESSION}=${b}`)).toBe("unauthorized");
    expect(await live(a)).toBe(true);
    expect(sa.connected).toBe(true);
    expect((await listDevices(user, sidA)).map((d) => d.sid)).toEqual([sidA]);
  });

  const redis = externalRedisUrl();
  it.skipIf(!redis)(
    "sign out everywhere else closes the other sessions' sockets on another node; this one stays",
    async () => {
      const { nodes, close } = await startTwoNodes(redis as string);
      cleanup.push(close);
      const user = await makeUser("dev2");
      const cookies: string[] = [];
      for (const ua of [FIREFOX_MAC, CHROME_ANDROID, "curl/8.5.0"])
        cookies.push((await signInWith({ username: user.username, password }, ua)).session ?? "");
      const [here, ...others] = cookies as [string, string, string];
      const sids = (
        await db().session.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } })
      ).map((r) => r.sid);
      const keep = sids[0] ?? "";
      // The registry holds the node started last (node 1), as a route handler on that node would: the
      // other sessions' sockets are on node 0, so only the adapter can reach them.
      setRealtime(nodes[1].io);
      const mine = await connectAs(nodes[1].url, null, `${SESSION}=${here}`);
      const theirs = await Promise.all(others.map((c) => connectAs(nodes[0].url, null, `${SESSION}=${c}`)));
      cleanup.push(async () => {
        for (const s of [mine, ...theirs]) s.close();
      });
      await Promise.all([mine, ...theirs].map(connected));
      const closings = theirs.map((s) => closedByServer(s));
      const ended = await endOtherDevices(user, keep);
      expect(ended.sort()).toEqual(sids.slice(1).sort());
      for (const sid of ended) endSessionSockets(sid);
      expect(await Promise.all(closings)).toEqual(["signed_out", "signed_out"]);
      expect(mine.connected).toBe(true);
      expect(await live(here)).toBe(true);
      for (const c of others) expect(await live(c)).toBe(false);
      expect((await listDevices(user, keep)).map((d) => d.current)).toEqual([true]);
    },
  );
});
