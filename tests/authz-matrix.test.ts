// Authorization matrix, socket side: every event × {non-member, member, owner} on a private room
// (signed-out sockets are refused at the handshake, see realtime.test.ts), plus live events that
// must never reach a non-member.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { addMember, joinRoom, leaveRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, startRealtime, type TestClient } from "./helpers/realtime";

/** Messages `s` receives live (message:new and each of a message:batch), until `stop()`. */
function collectMessages(s: TestClient) {
  const got: ChatMessage[] = [];
  const one = (m: ChatMessage) => got.push(m);
  const many = (ms: ChatMessage[]) => got.push(...ms);
  s.on("message:new", one);
  s.on("message:batch", many);
  return {
    got,
    stop: () => {
      s.off("message:new", one);
      s.off("message:batch", many);
    },
    /** Resolves once a message with this body arrived (everything emitted before it has too). */
    until: (body: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`"${body}" never arrived`)), 5000);
        const check = () => {
          if (!got.some((m) => m.body === body)) return;
          clearTimeout(timer);
          s.off("message:new", check);
          s.off("message:batch", check);
          resolve();
        };
        s.on("message:new", check);
        s.on("message:batch", check);
        check();
      }),
  };
}

type Role = "nonMember" | "member" | "owner";
let server: Awaited<ReturnType<typeof startRealtime>>;
const users = {} as Record<Role, SessionUser>;
const sockets = {} as Record<Role, TestClient>;
let roomId = "";
let ownerMessage: ChatMessage;
let memberMessage: ChatMessage;
const leaked: string[] = [];

beforeAll(async () => {
  server = await startRealtime();
  for (const role of ["nonMember", "member", "owner"] as Role[])
    users[role] = await makeUser(role.slice(0, 6));
  const room = await makeRoom(users.owner, { isPrivate: true });
  roomId = room.id;
  await addMember(users.owner, roomId, { username: users.member.username });
  for (const role of ["nonMember", "member", "owner"] as Role[]) {
    sockets[role] = await connectAs(server.url, users[role]);
    await connected(sockets[role]);
  }
  for (const ev of [
    "message:new",
    "message:updated",
    "message:deleted",
    "typing:update",
    "presence:update",
    "presence:batch",
    "message:batch",
    "room:read",
  ]) {
    sockets.nonMember.on(
      ev as never,
      ((p: { roomId?: string; userId?: string } | { roomId?: string; userId?: string }[]) => {
        const payloads = Array.isArray(p) ? p : [p];
        if (
          payloads.some(
            (payload) =>
              payload?.roomId === roomId ||
              payload?.userId === users.member.id ||
              payload?.userId === users.owner.id,
          )
        ) {
          leaked.push(ev);
        }
      }) as never,
    );
  }
  await call(sockets.owner, "room:join", { roomId });
  await call(sockets.member, "room:join", { roomId });
  const a = await call<ChatMessage>(sockets.owner, "message:send", {
    roomId,
    clientId: randomUUID(),
    body: "owner's",
  });
  const b = await call<ChatMessage>(sockets.member, "message:send", {
    roomId,
    clientId: randomUUID(),
    body: "member's",
  });
  if (!a.ok || !b.ok) throw new Error("setup failed");
  ownerMessage = a.data;
  memberMessage = b.data;
});

afterAll(async () => {
  for (const s of Object.values(sockets)) s.disconnect();
  await server.close();
});

type Expect = "ok" | string; // "ok" or the error code
const matrix: [string, () => unknown, Record<Role, Expect>][] = [
  ["room:join", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  ["message:list", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  [
    "message:changes",
    () => ({ roomId, sinceRev: 0, fromSeq: 1, toSeq: 10 }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
  ["presence:list", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  ["typing:start", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  ["room:read", () => ({ roomId, seq: 1 }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  ["room:mute", () => ({ roomId, muted: false }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  ["command:list", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  [
    "command:run /me",
    () => ({ roomId, clientId: randomUUID(), text: "/me checks the matrix" }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
  [
    "command:run /topic",
    () => ({ roomId, clientId: randomUUID(), text: "/topic Matrix" }),
    { nonMember: "not_found", member: "forbidden", owner: "ok" },
  ],
  [
    "command:run /invite",
    () => ({ roomId, clientId: randomUUID(), text: "/invite @nobody-here" }),
    { nonMember: "not_found", member: "forbidden", owner: "not_found" },
  ],
  [
    "draft:save",
    () => ({ roomId, body: "matrix draft" }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
  ["draft:get", () => ({ roomId }), { nonMember: "not_found", member: "ok", owner: "ok" }],
  [
    "message:send",
    () => ({ roomId, clientId: randomUUID(), body: "matrix" }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
  [
    "reaction:toggle",
    () => ({ roomId, messageId: ownerMessage.id, emoji: "👍" }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
  [
    "message:edit (the owner's message)",
    () => ({ roomId, messageId: ownerMessage.id, body: "edited" }),
    { nonMember: "not_found", member: "forbidden", owner: "ok" },
  ],
  [
    "message:delete (the member's message)",
    () => ({ roomId, messageId: memberMessage.id }),
    { nonMember: "not_found", member: "ok", owner: "ok" },
  ],
];

describe("socket authorization matrix on a private room", () => {
  for (const [label, payload, expected] of matrix) {
    for (const role of ["nonMember", "member", "owner"] as Role[]) {
      it(`${label} as ${role} → ${expected[role]}`, async () => {
        const event = label.split(" ")[0] as string;
        const res = await call(sockets[role], event, payload());
        if (expected[role] === "ok") expect(res).toMatchObject({ ok: true });
        else expect(res).toMatchObject({ ok: false, error: { code: expected[role] } });
      });
    }
  }

  it("a non-member never receives the room's live events", async () => {
    await call(sockets.member, "typing:start", { roomId });
    await call(sockets.owner, "message:send", { roomId, clientId: randomUUID(), body: "after" });
    await call(sockets.member, "presence:set", { state: "idle" });
    await new Promise((r) => setTimeout(r, 500));
    expect(leaked).toEqual([]);
  });
});

// message:send with a clientId already stored answers with the stored message as it is now (edits,
// reactions and who reacted, the reply target's edits): only to a current member, and only to the
// sender. A replay must not make the room broadcast it again.
describe("message:send with an already stored clientId", () => {
  async function sendAndLeave(isPrivate: boolean) {
    const leaver = await makeUser("leaver");
    const room = isPrivate ? { id: roomId } : await makeRoom(users.owner);
    if (isPrivate) await addMember(users.owner, room.id, { username: leaver.username });
    else await joinRoom(leaver, room.id);
    const socket = await connectAs(server.url, leaver);
    await connected(socket);
    const payload = {
      roomId: room.id,
      clientId: randomUUID(),
      body: "said before leaving",
      // (in the private room: a reply, whose target's later edits the stored message would show)
      ...(isPrivate ? { replyToId: ownerMessage.id } : {}),
    };
    const sent = await call<ChatMessage>(socket, "message:send", payload);
    expect(sent).toMatchObject({ ok: true });
    await leaveRoom(leaver, room.id);
    // The replay leaves the reply out (a reply's target is checked for membership first anyway).
    const { replyToId: _, ...replay } = payload as typeof payload & { replyToId?: string };
    return { socket, payload: replay, roomId: room.id };
  }

  it("a member gets the stored message back, and nobody else in the room hears of it", async () => {
    const watch = collectMessages(sockets.owner);
    try {
      const payload = { roomId, clientId: randomUUID(), body: "sent once" };
      const first = await call<ChatMessage>(sockets.member, "message:send", payload);
      if (!first.ok) throw new Error(first.error.message);
      await watch.until("sent once"); // its one broadcast
      await call(sockets.owner, "reaction:toggle", { roomId, messageId: first.data.id, emoji: "🎉" });

      const again = await call<ChatMessage>(sockets.member, "message:send", payload);
      expect(again).toMatchObject({
        ok: true,
        data: { id: first.data.id, seq: first.data.seq, reactions: [{ emoji: "🎉", count: 1 }] },
      });
      // A fresh send from the same socket after it: anything the replay broadcast came before it.
      await call(sockets.member, "message:send", {
        roomId,
        clientId: randomUUID(),
        body: "after the replay",
      });
      await watch.until("after the replay");
      expect(watch.got.filter((m) => m.id === first.data.id)).toHaveLength(1);
    } finally {
      watch.stop();
    }
  });

  it("an ex-member of a private room gets not_found, and the room hears nothing", async () => {
    const { socket, payload } = await sendAndLeave(true);
    const watch = collectMessages(sockets.owner);
    try {
      const res = await call(socket, "message:send", payload);
      expect(res).toMatchObject({ ok: false, error: { code: "not_found" } });
      expect(JSON.stringify(res)).not.toContain("said before leaving");
      await call(sockets.member, "message:send", {
        roomId,
        clientId: randomUUID(),
        body: "after the ex-member",
      });
      await watch.until("after the ex-member");
      expect(watch.got.map((m) => m.body)).not.toContain("said before leaving");
    } finally {
      watch.stop();
      socket.disconnect();
    }
  });

  it("an ex-member of a public room gets the non-member's refusal", async () => {
    const { socket, payload } = await sendAndLeave(false);
    try {
      const res = await call(socket, "message:send", payload);
      expect(res).toMatchObject({
        ok: false,
        error: { code: "forbidden", message: expect.stringMatching(/^Join #/) },
      });
      expect(JSON.stringify(res)).not.toContain("said before leaving");
    } finally {
      socket.disconnect();
    }
  });

  it("a non-member replaying a member's clientId is a non-member's send (clientIds are per author)", async () => {
    const res = await call(sockets.nonMember, "message:send", {
      roomId,
      clientId: memberMessage.clientId,
      body: "replayed",
    });
    expect(res).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(JSON.stringify(res)).not.toContain(memberMessage.body);
  });
});

// message:send with files: only the sender's own uploads for this room; the room hears the files
// once, and a retry gets them back without a second broadcast.
describe("message:send with fileIds", () => {
  const upload = (uploaderId: string, room = roomId) =>
    db().file.create({
      data: {
        uploaderId,
        roomId: room,
        name: "f.txt",
        state: "ready",
        size: 1n,
        storedBytes: 1n,
        type: "text/plain",
      },
      select: { id: true },
    });

  it("a non-member gets not_found, a member cannot attach someone else's file", async () => {
    const mine = await upload(users.owner.id);
    const payload = () => ({ roomId, clientId: randomUUID(), body: "", fileIds: [mine.id] });
    expect(await call(sockets.nonMember, "message:send", payload())).toMatchObject({
      ok: false,
      error: { code: "not_found" },
    });
    const theirs = await upload(users.nonMember.id);
    expect(
      await call(sockets.nonMember, "message:send", { ...payload(), fileIds: [theirs.id] }),
    ).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await call(sockets.member, "message:send", payload())).toMatchObject({
      ok: false,
      error: { code: "validation" },
    });
  });

  it("the room receives the files once; a retry gets them back and is not re-broadcast", async () => {
    const f = await upload(users.member.id);
    const watch = collectMessages(sockets.owner);
    try {
      const payload = { roomId, clientId: randomUUID(), body: "", fileIds: [f.id] };
      const sent = await call<ChatMessage>(sockets.member, "message:send", payload);
      expect(sent).toMatchObject({
        ok: true,
        data: { body: "", files: [{ id: f.id, name: "f.txt", kind: "file" }] },
      });
      const again = await call<ChatMessage>(sockets.member, "message:send", payload);
      expect(again).toMatchObject({ ok: true, data: { files: [{ id: f.id }] } });
      await call(sockets.member, "message:send", { roomId, clientId: randomUUID(), body: "after files" });
      await watch.until("after files");
      const live = watch.got.filter((m) => m.files.some((x) => x.id === f.id));
      expect(live).toHaveLength(1);
      expect(live[0]?.files).toEqual([
        { id: f.id, name: "f.txt", size: 1, type: "text/plain", kind: "file", width: null, height: null },
      ]);
    } finally {
      watch.stop();
    }
  });
});
