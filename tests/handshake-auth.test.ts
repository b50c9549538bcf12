// The handshake's session check is kept per session for a few seconds (lib/realtime/server/
// handshake-auth.ts): the tabs of a session that come back together (a restart) cost one database
// read. It must never let a revoked session in: every revocation (sign out everywhere, deactivation,
// password change, token revoke, a room left) is pushed to every node before the request that made it
// answers, so a handshake right after it is refused, on the node that made the change and on another
// node sharing Redis, even with the session's answer kept moments before. A change that lands while a
// handshake is in flight closes (or moves) the socket once it is connected. Real PostgreSQL, Redis,
// route handlers and sockets; the session module is replaced by a chosen user (route-session).
import { encode } from "next-auth/jwt";
import { io as connect } from "socket.io-client";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { POST as changePassword } from "@/app/api/account/password/route";
import { POST as signOutEverywhere } from "@/app/api/account/sign-out-everywhere/route";
import { DELETE as revokeTokenRoute } from "@/app/api/account/tokens/[id]/route";
import { PATCH as adminPatch } from "@/app/api/admin/users/[id]/route";
import { POST as joinRoute } from "@/app/api/rooms/[roomId]/join/route";
import { POST as leaveRoute } from "@/app/api/rooms/[roomId]/leave/route";
import { disconnectDb } from "@/lib/db/client";
import { roomChannel } from "@/lib/realtime/events";
import { HandshakeAuth, type HandshakeRead } from "@/lib/realtime/server/handshake-auth";
import { authChanged, endSessionSockets, realtime } from "@/lib/realtime/server/registry";
import { newSessionId, revokeSession } from "@/lib/sessions/sessions.service";
import { MemoryState } from "@/lib/state/shared-state";
import { createToken } from "@/lib/tokens/tokens.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import {
  connectAs,
  connected,
  handshake,
  SECRET,
  startRealtime,
  startTwoNodes,
  type TestClient,
} from "./helpers/realtime";
import { routeSession } from "./helpers/route-session";
import { externalRedisUrl } from "./helpers/services";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  await disconnectDb();
});

// ---------------------------------------------------------------------------------------------
// The cache itself (no sockets)

function reader(user: SessionUser, roomIds: string[] = []) {
  let reads = 0;
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  return {
    get reads() {
      return reads;
    },
    /** The next reads wait until `open()`. */
    hold() {
      gate = new Promise((r) => {
        release = r;
      });
    },
    open() {
      release();
      gate = null;
    },
    read: async (): Promise<HandshakeRead | null> => {
      reads++;
      if (gate) await gate;
      return { user, roomIds };
    },
  };
}

const ana: SessionUser = { id: "u-ana", username: "ana", displayName: "Ana", role: "member" };
const ref = (sid: string, sv = 0) => ({ uid: ana.id, sid, sv });

describe("HandshakeAuth", () => {
  it("reads once per session within its lifetime, and again after it", async () => {
    let now = 1_000;
    const auth = new HandshakeAuth(5_000, () => now);
    const r = reader(ana, ["r1"]);
    expect(await auth.lookup(ref("s1"), r.read)).toEqual({ user: ana, roomIds: ["r1"] });
    expect(await auth.lookup(ref("s1"), r.read)).toEqual({ user: ana, roomIds: ["r1"] });
    expect(r.reads).toBe(1);
    // Another session of the same user, or another session version, is read on its own.
    await auth.lookup(ref("s2"), r.read);
    await auth.lookup(ref("s1", 1), r.read);
    expect(r.reads).toBe(3);
    now += 5_001;
    await auth.lookup(ref("s2"), r.read);
    expect(r.reads).toBe(4);
  });

  it("shares one read among a session's handshakes that ask while it runs", async () => {
    const auth = new HandshakeAuth();
    const r = reader(ana);
    r.hold();
    const answers = Promise.all([1, 2, 3].map(() => auth.lookup(ref("s1"), r.read)));
    r.open();
    expect((await answers).every((a) => a?.user.id === ana.id)).toBe(true);
    expect(r.reads).toBe(1);
  });

  it("forgets by session, by user or everything", async () => {
    const auth = new HandshakeAuth();
    const r = reader(ana);
    const warm = async () => {
      for (const sid of ["s1", "s2"]) await auth.lookup(ref(sid), r.read);
    };
    await warm();
    auth.invalidate({ sids: ["s1"] });
    await warm();
    expect(r.reads).toBe(3); // s1 read again, s2 kept
    auth.invalidate({ userIds: [ana.id] });
    await warm();
    expect(r.reads).toBe(5);
    auth.invalidate({ userIds: ["someone else"], sids: ["s9"] });
    await warm();
    expect(r.reads).toBe(5);
    auth.invalidate({ all: true });
    await warm();
    expect(r.reads).toBe(7);
  });

  it("does not keep a read that a change overtook, nor share it with later handshakes", async () => {
    const auth = new HandshakeAuth();
    const r = reader(ana);
    r.hold();
    const first = auth.lookup(ref("s1"), r.read);
    auth.invalidate({ sids: ["s1"] }); // committed while the read ran: it may have missed it
    const second = auth.lookup(ref("s1"), r.read); // a new read, not the one in flight
    r.open();
    await Promise.all([first, second]);
    expect(r.reads).toBe(2);
    await auth.lookup(ref("s1"), r.read);
    expect(r.reads).toBe(2); // the second read (after the change) was kept
  });

  it("marks the handshakes in flight that a change concerns, and only those", () => {
    const auth = new HandshakeAuth();
    const mine = auth.begin(ana.id, "s1");
    const otherSession = auth.begin(ana.id, "s2");
    const otherUser = auth.begin("u-bo", "s3");
    const unknown = auth.begin(); // an API token's, before its read
    auth.invalidate({ sids: ["s1"] });
    expect([mine.stale, otherSession.stale, otherUser.stale, unknown.stale]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    auth.invalidate({ userIds: [ana.id] });
    expect(otherSession.stale).toBe(true);
    expect(otherUser.stale).toBe(false);
    auth.finish(otherUser);
    auth.invalidate({ all: true });
    expect(otherUser.stale).toBe(false); // finished: a connected socket hears of changes by channel
    expect(auth.inFlight).toBe(3);
  });

  it("never keeps a session that must set up two-factor first", async () => {
    const auth = new HandshakeAuth();
    const r = reader({ ...ana, twoFactorSetupRequired: true });
    await auth.lookup(ref("s1"), r.read);
    await auth.lookup(ref("s1"), r.read);
    expect(r.reads).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Handshakes against real nodes

/** A session cookie with a known session id, as sign-in issues it. */
async function sessionOf(user: SessionUser, sv = 0): Promise<{ cookie: string; sid: string }> {
  const sid = newSessionId();
  const token = await encode({
    token: { uid: user.id, username: user.username, name: user.displayName, sv, sid },
    secret: SECRET,
  });
  return { cookie: `next-auth.session-token=${token}`, sid };
}

function tokenHandshake(url: string, token: string): Promise<string> {
  const s = connect(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  return connected(s as TestClient)
    .then(() => "connected")
    .catch((err: Error) => err.message)
    .finally(() => s.close());
}

const json = (method: string, body: unknown) =>
  new Request("http://beacon.test/x", { method, body: JSON.stringify(body) });
const params = <T>(p: T) => ({ params: Promise.resolve(p) });

type Node = Awaited<ReturnType<typeof startRealtime>>;

/**
 * One node, or two sharing Redis. `changer` is the node whose process makes the change (the route
 * handlers reach it as realtime()); every node's answer is checked.
 */
async function deployment(kind: "one node" | "two nodes"): Promise<{ nodes: Node[] }> {
  if (kind === "one node") {
    const node = await startRealtime(new MemoryState(), undefined, { sessionCacheMs: 60_000 });
    cleanup.push(() => node.close());
    return { nodes: [node] };
  }
  const redisUrl = externalRedisUrl();
  if (!redisUrl) throw new Error("unreachable: skipped without Redis");
  const two = await startTwoNodes(redisUrl, { sessionCacheMs: 60_000 });
  cleanup.push(two.close);
  // The route handlers run in this process, whose Socket.IO server is the last one started.
  expect(realtime()).toBe(two.nodes[1].io);
  return { nodes: two.nodes };
}

/** Each node's answer to a handshake with this cookie. */
const answers = (nodes: Node[], cookie: string) => Promise.all(nodes.map((n) => handshake(n.url, cookie)));

const redisUrl = externalRedisUrl();
const kinds = (redisUrl ? ["one node", "two nodes"] : ["one node"]) as ("one node" | "two nodes")[];

describe.each(kinds)("a kept session check and revocation (%s)", (kind) => {
  it("keeps the session's answer, and a change pushed through the registry ends it at once", async () => {
    const { nodes } = await deployment(kind);
    const user = await makeUser("kept");
    const { cookie, sid } = await sessionOf(user);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "connected"));
    // Revoked in the database only, behind the registry's back: every node still answers from what
    // it kept (so the second handshake did not read the database)...
    await revokeSession({ uid: user.id, sid }, 60);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "connected"));
    // ...until the change is pushed, as every revoking route does.
    await authChanged({ sids: [sid] });
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "unauthorized"));
  });

  it("sign out everywhere: the next handshake of every session is refused at once", async () => {
    const { nodes } = await deployment(kind);
    const user = await makeUser("everywhere");
    const a = await sessionOf(user);
    const b = await sessionOf(user);
    for (const s of [a, b]) expect(await answers(nodes, s.cookie)).toEqual(nodes.map(() => "connected"));
    routeSession.user = user;
    expect((await signOutEverywhere()).status).toBe(200);
    for (const s of [a, b]) expect(await answers(nodes, s.cookie)).toEqual(nodes.map(() => "unauthorized"));
    expect(await answers(nodes, (await sessionOf(user, 1)).cookie)).toEqual(nodes.map(() => "connected"));
  });

  it("deactivation: refused at once", async () => {
    const { nodes } = await deployment(kind);
    const admin = await makeUser("admin", "admin");
    const user = await makeUser("leaving");
    const { cookie } = await sessionOf(user);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "connected"));
    routeSession.user = admin;
    const res = await adminPatch(json("PATCH", { deactivated: true }), params({ id: user.id }));
    expect(res.status).toBe(200);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "unauthorized"));
  });

  it("password change: the old sessions are refused at once", async () => {
    const { nodes } = await deployment(kind);
    const user = await makeUser("pw");
    const { cookie } = await sessionOf(user);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "connected"));
    routeSession.user = user;
    const res = await changePassword(
      json("POST", { currentPassword: "correct horse battery", newPassword: "another horse battery" }),
    );
    expect(res.status).toBe(200);
    expect(await answers(nodes, cookie)).toEqual(nodes.map(() => "unauthorized"));
  });

  it("token revoke: refused at once", async () => {
    const { nodes } = await deployment(kind);
    const user = await makeUser("tok");
    const { id, token } = await createToken(user, { name: "ci", scopes: ["read", "write"] });
    for (const n of nodes) expect(await tokenHandshake(n.url, token)).toBe("connected");
    routeSession.user = user;
    expect((await revokeTokenRoute(json("DELETE", {}), params({ id }))).status).toBe(200);
    for (const n of nodes) expect(await tokenHandshake(n.url, token)).toBe("unauthorized");
  });

  it("a room left or joined: the next handshake follows the new list at once", async () => {
    const { nodes } = await deployment(kind);
    const owner = await makeUser("owner");
    const user = await makeUser("member");
    const left = await makeRoom(owner);
    const joined = await makeRoom(owner);
    routeSession.user = user;
    expect((await joinRoute(json("POST", {}), params({ roomId: left.id }))).status).toBe(200);
    const { cookie } = await sessionOf(user);
    const roomsOnEachNode = async () =>
      Promise.all(
        nodes.map(async (n) => {
          const s = await connectAs(n.url, null, cookie);
          try {
            await connected(s);
            const server = n.io.of("/").sockets.get(s.id as string);
            return [left.id, joined.id].filter((id) => server?.rooms.has(roomChannel(id)));
          } finally {
            s.close();
          }
        }),
      );
    expect(await roomsOnEachNode()).toEqual(nodes.map(() => [left.id]));
    expect((await leaveRoute(json("POST", {}), params({ roomId: left.id }))).status).toBe(200);
    expect((await joinRoute(json("POST", {}), params({ roomId: joined.id }))).status).toBe(200);
    expect(await roomsOnEachNode()).toEqual(nodes.map(() => [joined.id]));
  });

  it("a sign-out that commits while a handshake is in flight closes that socket once connected", async () => {
    const { nodes } = await deployment(kind);
    const user = await makeUser("racing");
    const { cookie, sid } = await sessionOf(user);
    const target = nodes[0] as Node;
    expect(await handshake(target.url, cookie)).toBe("connected"); // its answer is kept
    // After Beacon's own handshake step (session read, channels joined), before "connection": the
    // close that follows the revocation cannot reach a socket that is not connected yet.
    let raced = false;
    target.io.use(async (socket, next) => {
      if (socket.data.sid === sid && !raced) {
        raced = true;
        await revokeSession({ uid: user.id, sid }, 60);
        await endSessionSockets(sid);
      }
      next();
    });
    const s = await connectAs(target.url, null, cookie);
    cleanup.push(async () => {
      s.close();
    });
    const closed = new Promise<string>((resolve) => {
      let reason = "(none)";
      s.once("socket:closing", (c) => {
        reason = c.reason;
      });
      s.once("disconnect", (why) => resolve(`${reason} / ${why}`));
    });
    await connected(s);
    expect(await closed).toBe("signed_out / io server disconnect");
    expect(await handshake(target.url, cookie)).toBe("unauthorized");
  });
});
