// Authorization matrix, socket side: every event × {non-member, member, owner} on a private room
// (signed-out sockets are refused at the handshake, see realtime.test.ts), plus live events that
// must never reach a non-member.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { addMember } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, startRealtime, type TestClient } from "./helpers/realtime";

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
