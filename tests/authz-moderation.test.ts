// Authorization matrix, socket side, for room moderation: message:pin and message:delete (someone
// else's message) × {signed out, deactivated, guest, member, room moderator, workspace moderator,
// admin, owner}; and the live side of the moderation routes (called directly, with a real Socket.IO
// server): room:updated to the room, room:removed with the reason to a removed or banned member.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db/client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { RoomRemoved } from "@/lib/realtime/events";
import type { RoomUpdate } from "@/lib/rooms/moderation.schema";
import { setMemberRole } from "@/lib/rooms/moderation.service";
import { addMember, joinRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import {
  call,
  connectAs,
  connected,
  handshake,
  nextEvent,
  sessionCookie,
  startRealtime,
  type TestClient,
} from "./helpers/realtime";
import { routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

type Who = "deactivated" | "guest" | "member" | "roomModerator" | "workspaceModerator" | "admin" | "owner";
const WHO: Who[] = [
  "deactivated",
  "guest",
  "member",
  "roomModerator",
  "workspaceModerator",
  "admin",
  "owner",
];

let server: Awaited<ReturnType<typeof startRealtime>>;
const users = {} as Record<Who | "roomOwner" | "author", SessionUser>;
const sockets = {} as Record<Who | "author", TestClient>;
let roomId = "";

beforeAll(async () => {
  server = await startRealtime();
  users.roomOwner = await makeUser("rowner");
  users.author = await makeUser("author");
  users.deactivated = await makeUser("deact");
  users.guest = await makeUser("guest", "guest");
  users.member = await makeUser("member");
  users.roomModerator = await makeUser("rmod");
  users.workspaceModerator = await makeUser("wsmod", "moderator");
  users.admin = await makeUser("admin", "admin");
  users.owner = await makeUser("owner", "owner");
  const room = await makeRoom(users.roomOwner);
  roomId = room.id;
  for (const w of ["author", "deactivated", "guest", "member", "roomModerator"] as const)
    await addMember(users.roomOwner, roomId, { username: users[w].username });
  for (const w of ["workspaceModerator", "admin", "owner"] as const) await joinRoom(users[w], roomId);
  await setMemberRole(users.roomOwner, roomId, users.roomModerator.id, { role: "moderator" });
  for (const w of ["author", ...WHO] as const) {
    sockets[w] = await connectAs(server.url, users[w]);
    await connected(sockets[w]);
  }
  // Deactivated after connecting: the open socket's handshake role is stale; the services read the DB.
  await db().user.update({ where: { id: users.deactivated.id }, data: { deactivatedAt: new Date() } });
});

afterAll(async () => {
  for (const s of Object.values(sockets)) s.disconnect();
  await server.close();
});

async function authorMessage(): Promise<ChatMessage> {
  const res = await call<ChatMessage>(sockets.author, "message:send", {
    roomId,
    clientId: randomUUID(),
    body: "by the author",
  });
  if (!res.ok) throw new Error(res.error.message);
  return res.data;
}

describe("socket matrix for moderation events", () => {
  it("signed out and deactivated accounts cannot even connect", async () => {
    expect(await handshake(server.url, "")).toBe("unauthorized");
    expect(await handshake(server.url, await sessionCookie(users.deactivated))).toBe("unauthorized");
  });

  const expected: Record<Who, { pin: string; del: string }> = {
    deactivated: { pin: "unauthorized", del: "forbidden" },
    guest: { pin: "forbidden", del: "forbidden" },
    member: { pin: "forbidden", del: "forbidden" },
    roomModerator: { pin: "ok", del: "ok" },
    workspaceModerator: { pin: "ok", del: "ok" },
    admin: { pin: "ok", del: "ok" },
    owner: { pin: "ok", del: "ok" },
  };
  for (const who of WHO) {
    it(`message:pin as ${who} → ${expected[who].pin}`, async () => {
      const m = await authorMessage();
      const res = await call<ChatMessage>(sockets[who], "message:pin", {
        roomId,
        messageId: m.id,
        pinned: true,
      });
      if (expected[who].pin === "ok") expect(res).toMatchObject({ ok: true, data: { pinned: true } });
      else expect(res).toMatchObject({ ok: false, error: { code: expected[who].pin } });
    });
    it(`message:delete of someone else's message as ${who} → ${expected[who].del}`, async () => {
      const m = await authorMessage();
      const res = await call<ChatMessage>(sockets[who], "message:delete", { roomId, messageId: m.id });
      if (expected[who].del === "ok")
        expect(res).toMatchObject({ ok: true, data: { deleted: true, removedByModerator: true } });
      else expect(res).toMatchObject({ ok: false, error: { code: expected[who].del } });
    });
  }

  it("message:pin with a bad payload is a validation error", async () => {
    const res = await call(sockets.owner, "message:pin", { roomId, messageId: "nope", pinned: "yes" });
    expect(res).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("pins and moderator deletes reach the rest of the room as message:updated / message:deleted", async () => {
    const m = await authorMessage();
    const updated = nextEvent<ChatMessage>(sockets.member, "message:updated");
    await call(sockets.roomModerator, "message:pin", { roomId, messageId: m.id, pinned: true });
    expect(await updated).toMatchObject({ id: m.id, pinned: true });
    const deleted = nextEvent<ChatMessage>(sockets.member, "message:deleted");
    await call(sockets.roomModerator, "message:delete", { roomId, messageId: m.id });
    expect(await deleted).toMatchObject({ id: m.id, removedByModerator: true, pinned: false });
  });
});

describe("live effects of the moderation routes", () => {
  const params = <P extends { roomId: string; userId?: string }>(p: P) => ({ params: Promise.resolve(p) });
  const req = (method: string, body?: unknown) =>
    new Request("http://beacon.test/api", {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it("settings changes reach everyone in the room as room:updated", async () => {
    const route = await import("@/app/api/rooms/[roomId]/route");
    routeSession.user = users.roomModerator;
    const got = nextEvent<RoomUpdate>(sockets.member, "room:updated");
    const res = await route.PATCH(req("PATCH", { readOnly: true, topic: "news only" }), params({ roomId }));
    expect(res.status).toBe(200);
    expect(await got).toMatchObject({ roomId, readOnly: true, topic: "news only", archived: false });
    // A member's composer is now off: the server refuses their sends too.
    const send = await call(sockets.member, "message:send", { roomId, clientId: randomUUID(), body: "x" });
    expect(send).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: "Only moderators can post in this announcement room" },
    });
    await route.PATCH(req("PATCH", { readOnly: false }), params({ roomId }));
    routeSession.user = users.member;
    const refused = await route.PATCH(req("PATCH", { readOnly: true }), params({ roomId }));
    expect(refused.status).toBe(403);
  });

  it("a new room moderator's tabs get room:updated with their role", async () => {
    const route = await import("@/app/api/rooms/[roomId]/members/[userId]/route");
    routeSession.user = users.roomOwner;
    const got = nextEvent<RoomUpdate>(sockets.guest, "room:updated");
    const res = await route.PATCH(
      req("PATCH", { role: "moderator" }),
      params({ roomId, userId: users.guest.id }),
    );
    expect(res.status).toBe(200);
    expect(await got).toMatchObject({ roomId, myRole: "moderator" });
    await route.PATCH(req("PATCH", { role: "member" }), params({ roomId, userId: users.guest.id }));
  });

  it("a banned member's sockets leave the room channel at once and are told why", async () => {
    const victim = await makeUser("victim");
    await joinRoom(victim, roomId);
    const s = await connectAs(server.url, victim);
    await connected(s);
    try {
      const bans = await import("@/app/api/rooms/[roomId]/bans/[userId]/route");
      routeSession.user = users.workspaceModerator;
      const removed = nextEvent<RoomRemoved>(s, "room:removed");
      const res = await bans.PUT(req("PUT", { reason: "spam" }), params({ roomId, userId: victim.id }));
      expect(res.status).toBe(200);
      const why = await removed;
      expect(why).toMatchObject({ roomId, reason: "banned" });
      expect(why.message).toMatch(/^You were banned from #/);
      // Out of the channel: the room's next message does not reach it.
      let leaked = false;
      s.on("message:new", () => {
        leaked = true;
      });
      await authorMessage();
      await new Promise((r) => setTimeout(r, 300));
      expect(leaked).toBe(false);
      // And it cannot subscribe again.
      // Not even as a preview: a ban hides the public room (history, live events, files) from them.
      expect(await call(s, "room:join", { roomId })).toMatchObject({
        ok: false,
        error: { code: "not_found" },
      });
      const rejoin = await import("@/app/api/rooms/[roomId]/join/route");
      routeSession.user = victim;
      expect((await rejoin.POST(req("POST"), params({ roomId }))).status).toBe(404);
    } finally {
      s.disconnect();
    }
  });

  it("a removed member is told so; banning the room owner or yourself is refused clearly", async () => {
    const route = await import("@/app/api/rooms/[roomId]/members/[userId]/route");
    const bans = await import("@/app/api/rooms/[roomId]/bans/[userId]/route");
    const victim = await makeUser("gone");
    await joinRoom(victim, roomId);
    const s = await connectAs(server.url, victim);
    await connected(s);
    try {
      routeSession.user = users.roomModerator;
      const removed = nextEvent<RoomRemoved>(s, "room:removed");
      expect((await route.DELETE(req("DELETE"), params({ roomId, userId: victim.id }))).status).toBe(200);
      expect(await removed).toMatchObject({ roomId, reason: "removed" });
      const owner = await bans.PUT(req("PUT", {}), params({ roomId, userId: users.roomOwner.id }));
      expect(owner.status).toBe(403);
      expect(((await owner.json()) as { error: { message: string } }).error.message).toBe(
        "The room's owner cannot be banned",
      );
      const self = await bans.PUT(req("PUT", {}), params({ roomId, userId: users.roomModerator.id }));
      expect(self.status).toBe(400);
    } finally {
      s.disconnect();
    }
  });

  it("deleting a room tells every member's tabs", async () => {
    const route = await import("@/app/api/rooms/[roomId]/route");
    const room = await makeRoom(users.roomOwner);
    await joinRoom(users.member, room.id);
    routeSession.user = users.roomOwner;
    const got = nextEvent<RoomRemoved>(sockets.member, "room:removed");
    const bad = await route.DELETE(req("DELETE", { confirm: "nope" }), params({ roomId: room.id }));
    expect(bad.status).toBe(400);
    const res = await route.DELETE(req("DELETE", { confirm: room.name }), params({ roomId: room.id }));
    expect(res.status).toBe(200);
    expect(await got).toMatchObject({
      roomId: room.id,
      reason: "deleted",
      message: `#${room.name} was deleted`,
    });
  });
});
