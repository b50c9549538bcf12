// "Sign out everywhere" (issue 13, item 8): every session of the user ends, on every device, and
// every open socket of theirs is told why and closed. The route handler runs with the signed-in
// user chosen (route-session); the database and sockets are real, and the cookies are checked by
// the real socket handshake.
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { POST } from "@/app/api/account/sign-out-everywhere/route";
import { disconnectDb } from "@/lib/db/client";
import { MemoryState } from "@/lib/state/shared-state";
import { makeUser } from "./helpers/fixtures";
import {
  connectAs,
  connected,
  handshake,
  sessionCookie,
  startRealtime,
  type TestClient,
} from "./helpers/realtime";
import { routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  await disconnectDb();
});

function closing(s: TestClient): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not closed")), 5000);
    let reason = "(none)";
    s.once("socket:closing", (c) => {
      reason = c.reason;
    });
    s.once("disconnect", (why) => {
      clearTimeout(timer);
      resolve(`${reason} / ${why}`);
    });
  });
}

describe("POST /api/account/sign-out-everywhere", () => {
  it("ends every session of the user and closes their sockets; other users keep theirs", async () => {
    const node = await startRealtime(new MemoryState());
    cleanup.push(() => node.close());
    const user = await makeUser("every");
    const other = await makeUser("bystander");
    const cookies = [await sessionCookie(user), await sessionCookie(user)];
    const otherCookie = await sessionCookie(other);
    const sockets = await Promise.all([...cookies, otherCookie].map((c) => connectAs(node.url, null, c)));
    cleanup.push(async () => {
      for (const s of sockets) s.close();
    });
    await Promise.all(sockets.map(connected));
    const [a, b, o] = sockets as [TestClient, TestClient, TestClient];
    const closed = [closing(a), closing(b)];

    routeSession.user = user;
    const res = await POST();
    expect(res.status).toBe(200);

    expect(await Promise.all(closed)).toEqual([
      "signed_out / io server disconnect",
      "signed_out / io server disconnect",
    ]);
    for (const c of cookies) expect(await handshake(node.url, c)).toBe("unauthorized");
    // A sign-in after it works (a new session at the new session version).
    expect(await handshake(node.url, await sessionCookie(user, 1))).toBe("connected");
    expect(o.connected).toBe(true);
    expect(await handshake(node.url, otherCookie)).toBe("connected");
  });

  it("answers 401 JSON when signed out", async () => {
    routeSession.user = null;
    const res = await POST();
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
  });
});
