import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { type RoomJoinResult, roomChannel } from "@/lib/realtime/events";
import { revokeRoomAccess } from "@/lib/realtime/server/registry";
import { mendMemberRooms } from "@/lib/realtime/server/room-handlers";
import { addMember, joinRoom, leaveRoom, roomIdsOf } from "@/lib/rooms/rooms.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, nextEvent, startRealtime, type TestClient } from "./helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
const clients: TestClient[] = [];

async function client(user: Parameters<typeof connectAs>[1], cookie?: string) {
  const s = await connectAs(server.url, user, cookie);
  clients.push(s);
  return s;
}

beforeAll(async () => {
  server = await startRealtime();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.close();
});

describe("handshake", () => {
  it("refuses a connection without a session cookie", async () => {
    const s = await client(null);
    await expect(connected(s)).rejects.toThrow("unauthorized");
  });

  it("refuses a forged or foreign-secret cookie", async () => {
    const s = await client(null, "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.bogus");
    await expect(connected(s)).rejects.toThrow("unauthorized");
  });

  it("refuses a valid token for a user that no longer exists", async () => {
    const ghost = { id: randomUUID(), username: "ghost", displayName: "Ghost", role: "member" as const };
    const s = await client(ghost);
    await expect(connected(s)).rejects.toThrow("unauthorized");
  });

  it("accepts the next-auth session cookie", async () => {
    const ana = await makeUser("ana");
    const s = await client(ana);
    await connected(s);
    expect(s.connected).toBe(true);
  });

  it("joins the user's rooms, and mends a room list that went stale during the handshake", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const kept = await makeRoom(ana);
    const joinedMeanwhile = await makeRoom(ana);
    const leftMeanwhile = await makeRoom(bo);
    const s = await client(ana);
    await connected(s);
    const socket = [...server.io.of("/").sockets.values()].find((x) => x.data.user?.id === ana.id);
    if (!socket) throw new Error("no server-side socket for ana");
    expect(socket.rooms).toContain(roomChannel(kept.id));
    expect(socket.rooms).toContain(roomChannel(joinedMeanwhile.id));
    // As if the handshake had read the list before ana joined one room and left another.
    socket.leave(roomChannel(joinedMeanwhile.id));
    socket.join(roomChannel(leftMeanwhile.id));
    await mendMemberRooms(socket, [kept.id, leftMeanwhile.id]);
    expect(socket.rooms).toContain(roomChannel(kept.id));
    expect(socket.rooms).toContain(roomChannel(joinedMeanwhile.id));
    expect(socket.rooms).not.toContain(roomChannel(leftMeanwhile.id));
  });

  it("mending keeps a previewed room's channel, and never re-adds a room left during its read", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const open = await makeRoom(ana); // bo previews it: in its channel without being a member
    const secret = await makeRoom(ana, { isPrivate: true });
    await addMember(ana, secret.id, { username: bo.username });
    const b = await client(bo);
    await connected(b);
    expect((await call(b, "room:join", { roomId: open.id })).ok).toBe(true);
    const socket = [...server.io.of("/").sockets.values()].find((x) => x.data.user?.id === bo.id);
    if (!socket) throw new Error("no server-side socket for bo");
    socket.leave(roomChannel(secret.id)); // as if the handshake had read the list before bo was added
    // Bo leaves the private room right after the mend's read, before it acts on what it read.
    await mendMemberRooms(socket, [], async (id) => {
      const read = await roomIdsOf(id);
      await leaveRoom(bo, secret.id);
      revokeRoomAccess(bo.id, secret.id);
      return read;
    });
    expect(socket.rooms).toContain(roomChannel(open.id));
    expect(socket.rooms).not.toContain(roomChannel(secret.id));
  });

  it("a leave that commits while the socket is still in its handshake does not leave it in the channel", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const secret = await makeRoom(ana, { isPrivate: true });
    await addMember(ana, secret.id, { username: bo.username });
    // Runs after Beacon's own handshake step (rooms read and joined) and before "connection": the
    // leave's revoke cannot reach a socket that has not finished its handshake.
    server.io.use(async (socket, next) => {
      if (socket.data.user?.id === bo.id) {
        await leaveRoom(bo, secret.id);
        revokeRoomAccess(bo.id, secret.id);
      }
      next();
    });
    const b = await client(bo);
    await connected(b);
    const socket = [...server.io.of("/").sockets.values()].find((x) => x.data.user?.id === bo.id);
    if (!socket) throw new Error("no server-side socket for bo");
    await expect.poll(() => socket.rooms.has(roomChannel(secret.id))).toBe(false);
    // ...so a message in the private room no longer reaches him.
    const a = await client(ana);
    await connected(a);
    let leaked = false;
    b.on("message:new", () => {
      leaked = true;
    });
    const ack = await call(a, "message:send", {
      roomId: secret.id,
      clientId: randomUUID(),
      body: "after bo left",
    });
    expect(ack.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toBe(false);
  });
});

describe("live messaging", () => {
  it("send → ack to the sender → message:new to the other member", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    const a = await client(ana);
    const b = await client(bo);
    await Promise.all([connected(a), connected(b)]);
    const joinedA = await call<RoomJoinResult>(a, "room:join", { roomId: room.id });
    expect(joinedA).toMatchObject({ ok: true, data: { room: { id: room.id }, lastSeq: 0 } });
    expect((await call(b, "room:join", { roomId: room.id })).ok).toBe(true);

    const incoming = nextEvent<ChatMessage>(b, "message:new");
    let aGotOwnBroadcast = false;
    a.on("message:new", () => {
      aGotOwnBroadcast = true;
    });
    const ack = await call<ChatMessage>(a, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "hi bo",
    });
    expect(ack).toMatchObject({ ok: true, data: { seq: 1, body: "hi bo", author: { id: ana.id } } });
    const received = await incoming;
    expect(received).toEqual(ack.ok && ack.data);

    // retry with the same clientId: same message, nothing new stored
    const clientId = randomUUID();
    const first = await call<ChatMessage>(a, "message:send", { roomId: room.id, clientId, body: "once" });
    const retry = await call<ChatMessage>(a, "message:send", { roomId: room.id, clientId, body: "once" });
    expect(retry).toEqual(first);
    const history = await call<{ messages: ChatMessage[] }>(b, "message:list", { roomId: room.id, after: 0 });
    expect(history.ok && history.data.messages.map((m) => m.body)).toEqual(["hi bo", "once"]);
    expect(aGotOwnBroadcast).toBe(false);
  });

  it("message:changes pages past its cap: hasMore and a rev cursor, same answer shape as before", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const a = await client(ana);
    await connected(a);
    const sent: ChatMessage[] = [];
    for (const body of ["one", "two", "three"]) {
      const ack = await call<ChatMessage>(a, "message:send", {
        roomId: room.id,
        clientId: randomUUID(),
        body,
      });
      if (ack.ok) sent.push(ack.data);
    }
    for (const m of sent) {
      const r = await call(a, "reaction:toggle", { roomId: room.id, messageId: m.id, emoji: "🎉" });
      expect(r.ok).toBe(true);
    }
    type Changes = { messages: ChatMessage[]; rev: number; hasMore: boolean };
    const range = { roomId: room.id, fromSeq: 1, toSeq: 3 };
    const first = await call<Changes>(a, "message:changes", { ...range, sinceRev: 0, limit: 2 });
    expect(first.ok && first.data).toMatchObject({ hasMore: true, rev: 2 });
    expect(first.ok && first.data.messages.map((m) => m.seq)).toEqual([1, 2]);
    const rest = await call<Changes>(a, "message:changes", { ...range, sinceRev: 2, limit: 2 });
    expect(rest.ok && rest.data).toMatchObject({ hasMore: false, rev: 3 });
    expect(rest.ok && rest.data.messages.map((m) => m.seq)).toEqual([3]);
    // Without a limit (older clients): everything up to 1,000, the room's rev.
    const whole = await call<Changes>(a, "message:changes", { ...range, sinceRev: 0 });
    expect(whole.ok && whole.data).toMatchObject({ hasMore: false, rev: 3 });
    const bad = await call(a, "message:changes", { ...range, sinceRev: 0, limit: 1001 });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("answers malformed payloads with error acks and stays up", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const a = await client(ana);
    await connected(a);
    const bad: [string, unknown[]][] = [
      ["message:send", [undefined]],
      ["message:send", ["just a string"]],
      ["message:send", [{ roomId: room.id }]],
      ["message:send", [{ roomId: room.id, clientId: "x", body: "hi" }]],
      ["message:send", [{ roomId: room.id, clientId: randomUUID(), body: "" }]],
      ["message:send", [{ roomId: room.id, clientId: randomUUID(), body: "x".repeat(4001) }]],
      ["message:send", [{ roomId: room.id, clientId: randomUUID(), body: { nested: true } }]],
      [
        "message:send",
        [{ roomId: room.id, clientId: randomUUID(), body: "hi", __proto__: { admin: true }, x: 1 }],
      ],
      ["message:list", [{ roomId: room.id, limit: 1000 }]],
      ["message:list", [{ roomId: 42 }]],
      ["room:join", [{ roomId: "../../etc" }]],
      ["room:join", [null]],
      ["room:leave", [[]]],
    ];
    for (const [event, args] of bad) {
      const res = await call(a, event, ...args);
      expect(res.ok, `${event} ${JSON.stringify(args)}`).toBe(false);
      if (!res.ok) {
        expect(["validation", "not_found"]).toContain(res.error.code);
        expect(res.error.message).toBeTruthy();
      }
    }
    // events without an ack, and unknown events, are ignored without harm
    const raw = a as unknown as { emit: (e: string, ...x: unknown[]) => void };
    raw.emit("message:send", { roomId: room.id });
    raw.emit("no:such:event", 1, 2, 3);
    const ok = await call<ChatMessage>(a, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "still up",
    });
    expect(ok).toMatchObject({ ok: true, data: { seq: 1 } });
  });

  it("keeps non-members out of a private room's channel and history", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const room = await makeRoom(ana, { isPrivate: true });
    const a = await client(ana);
    const e = await client(eve);
    await Promise.all([connected(a), connected(e)]);
    await call(a, "room:join", { roomId: room.id });
    expect(await call(e, "room:join", { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(await call(e, "message:list", { roomId: room.id })).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    expect(
      await call(e, "message:send", { roomId: room.id, clientId: randomUUID(), body: "let me in" }),
    ).toMatchObject({ ok: false, error: { code: "not_found" } });
    let leaked = false;
    e.on("message:new", () => {
      leaked = true;
    });
    await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "secret" });
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toBe(false);
  });

  it("stops live delivery to someone who left a private room", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana, { isPrivate: true });
    await addMember(ana, room.id, { username: bo.username });
    const a = await client(ana);
    const b = await client(bo);
    await Promise.all([connected(a), connected(b)]);
    await call(a, "room:join", { roomId: room.id });
    await call(b, "room:join", { roomId: room.id });
    const removed = nextEvent<{ roomId: string }>(b, "room:removed");
    await leaveRoom(bo, room.id);
    revokeRoomAccess(bo.id, room.id);
    expect(await removed).toEqual({ roomId: room.id });
    let leaked = false;
    b.on("message:new", () => {
      leaked = true;
    });
    await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "after you left" });
    await new Promise((r) => setTimeout(r, 200));
    expect(leaked).toBe(false);
  });

  it("delivers a burst from several senders to every member exactly once, batched under load", async () => {
    const users = await Promise.all([0, 1, 2].map(() => makeUser("m")));
    const [owner, ...others] = users as [(typeof users)[0], ...typeof users];
    const room = await makeRoom(owner);
    for (const u of others) await joinRoom(u, room.id);
    const sockets = await Promise.all(users.map((u) => client(u)));
    await Promise.all(sockets.map(connected));
    for (const s of sockets) await call(s, "room:join", { roomId: room.id });
    const seen = sockets.map(() => [] as number[]);
    let batches = 0;
    sockets.forEach((s, i) => {
      s.on("message:new", (m) => seen[i]?.push(m.seq));
      s.on("message:batch", (ms) => {
        batches++;
        expect(ms.map((m) => m.seq)).toEqual([...ms.map((m) => m.seq)].sort((x, y) => x - y));
        for (const m of ms) seen[i]?.push(m.seq);
      });
    });
    const acks = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call<ChatMessage>(sockets[i % 3] as TestClient, "message:send", {
          roomId: room.id,
          clientId: randomUUID(),
          body: `burst ${i}`,
        }),
      ),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    // The sends queued behind the first one were stored together and fanned out as batches.
    expect(batches).toBeGreaterThan(0);
    sockets.forEach((_, i) => {
      // Every other member's message exactly once; none of its own (those came with the acks).
      const own = acks.filter((_, j) => j % 3 === i).map((a) => (a.ok ? a.data.seq : -1));
      const all = [...(seen[i] ?? []), ...own].sort((x, y) => x - y);
      expect(all).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    });
  });
});
