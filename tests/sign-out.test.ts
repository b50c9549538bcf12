// Signing out ends the session on the server (issue 13, item 8): the cookie signed out is refused by
// API routes, by the socket handshake and by next-auth's session endpoint; that session's open
// sockets are told why and closed, on every node; another session of the same user is untouched.
// Sign-in and sign-out run through next-auth's own handler (CSRF check, callbacks, events) with
// Beacon's options; the database, Redis and sockets are real.
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { apiUserFrom, type SessionSource } from "@/lib/auth/session";
import { disconnectDb } from "@/lib/db/client";
import { handle, json } from "@/lib/http";
import { realtime } from "@/lib/realtime/server/registry";
import { MemoryState } from "@/lib/state/shared-state";
import { signUp } from "@/lib/users/users.service";
import { unique } from "./helpers/fixtures";
import { nextAuth, SESSION, secret, signIn, signOut } from "./helpers/next-auth";
import {
  call,
  connectAs,
  connected,
  handshake,
  startRealtime,
  startTwoNodes,
  type TestClient,
} from "./helpers/realtime";
import { externalRedisUrl } from "./helpers/services";

/** An API route's session check (lib/auth/session.ts, as requireApiUser runs it) with this cookie. */
async function apiStatus(session: string): Promise<number> {
  const src: SessionSource = { cookies: { [SESSION]: session } };
  return (await handle(async () => json({ user: await apiUserFrom(src, secret()) }))).status;
}

/** Resolves with the reason the server gave (socket:closing) once the socket is disconnected by it. */
function closedByServer(s: TestClient, ms = 5000): Promise<{ reason: string; disconnect: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms);
    let reason = "(none)";
    s.once("socket:closing", (c) => {
      reason = c.reason;
    });
    s.once("disconnect", (why) => {
      clearTimeout(timer);
      resolve({ reason, disconnect: why });
    });
  });
}

const password = "correct horse battery";
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  await disconnectDb();
});

async function userWithTwoSessions() {
  const username = unique("out");
  await signUp({ username, displayName: "Out", password });
  return { first: await signIn(username, password), second: await signIn(username, password) };
}

describe("sign-out", () => {
  it("refuses the signed-out cookie everywhere and closes its sockets; another session stays", async () => {
    const node = await startRealtime(new MemoryState());
    cleanup.push(() => node.close());
    const { first, second } = await userWithTwoSessions();
    const a = await connectAs(node.url, null, `${SESSION}=${first}`);
    const b = await connectAs(node.url, null, `${SESSION}=${second}`);
    cleanup.push(async () => {
      a.close();
      b.close();
    });
    await Promise.all([connected(a), connected(b)]);
    expect(await apiStatus(first)).toBe(200);

    const closing = closedByServer(a);
    const out = await signOut(first);
    expect(out.res.status).toBe(200);
    expect(await out.res.json()).toMatchObject({ url: expect.any(String) });
    expect(out.cookies.find((c) => c.name === SESSION)?.value).toBe(""); // this browser's cookie cleared

    // Told why, then closed by the server (so the client does not simply reconnect).
    expect(await closing).toEqual({ reason: "signed_out", disconnect: "io server disconnect" });
    expect(await apiStatus(first)).toBe(401);
    expect(await handshake(node.url, `${SESSION}=${first}`)).toBe("unauthorized");
    // next-auth's session endpoint neither answers with the user nor renews the cookie.
    const session = await nextAuth({ action: "session", method: "GET", cookies: { [SESSION]: first } });
    expect(await session.res.json()).not.toHaveProperty("user");
    expect(session.cookies.find((c) => c.name === SESSION)?.value ?? "").toBe("");

    // The same user's other session is alive: its socket still works, its cookie still counts.
    expect(b.connected).toBe(true);
    expect(await call(b, "presence:set", { state: "idle" })).toMatchObject({ ok: true });
    expect(await apiStatus(second)).toBe(200);
    expect(await handshake(node.url, `${SESSION}=${second}`)).toBe("connected");
  });

  it("answers 503 and keeps the session when the revocation cannot be stored", async () => {
    const { first } = await userWithTwoSessions();
    const url = process.env.DATABASE_URL as string;
    await disconnectDb();
    process.env.DATABASE_URL = "postgres://root@127.0.0.1:1/nothing";
    let out: Awaited<ReturnType<typeof signOut>>;
    try {
      out = await signOut(first);
    } finally {
      await disconnectDb();
      process.env.DATABASE_URL = url;
    }
    expect(out.res.status).toBe(503);
    expect(await out.res.json()).toMatchObject({ error: { code: "unavailable" } });
    expect(out.cookies).toEqual([]); // not cleared: the person still is signed in, and is told so
    expect(await apiStatus(first)).toBe(200);
  });
});

const redisUrl = externalRedisUrl();
describe.skipIf(!redisUrl)("sign-out with two nodes sharing Redis", () => {
  it("closes the session's socket on the other node too", async () => {
    if (!redisUrl) throw new Error("unreachable: skipped without Redis");
    const { nodes, close } = await startTwoNodes(redisUrl);
    const [n1, n2] = nodes;
    cleanup.push(close);
    // The sign-out runs in a process whose Socket.IO server is node 2; the socket is on node 1.
    expect(realtime()).toBe(n2.io);
    const { first, second } = await userWithTwoSessions();
    const a = await connectAs(n1.url, null, `${SESSION}=${first}`);
    const b = await connectAs(n1.url, null, `${SESSION}=${second}`);
    cleanup.push(async () => {
      a.close();
      b.close();
    });
    await Promise.all([connected(a), connected(b)]);
    const closing = closedByServer(a);
    expect((await signOut(first)).res.status).toBe(200);
    expect(await closing).toEqual({ reason: "signed_out", disconnect: "io server disconnect" });
    expect(await handshake(n1.url, `${SESSION}=${first}`)).toBe("unauthorized");
    expect(await handshake(n2.url, `${SESSION}=${first}`)).toBe("unauthorized");
    expect(b.connected).toBe(true);
    expect(await call(b, "presence:set", { state: "idle" })).toMatchObject({ ok: true });
  });
});
