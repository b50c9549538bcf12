// Room moderation (lib/rooms/moderation.service.ts and the moderator paths of messages.service.ts):
// who may do what, the errors, slow mode, read-only/archived refusals in the insert itself, bans,
// moderator deletes, pins in the change feed, and an audit row for every moderator action.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  deleteMessage,
  listChanges,
  listMessages,
  listPinned,
  pinMessage,
  sendMessage,
} from "@/lib/messages/messages.service";
import {
  banMember,
  deleteRoom,
  listBans,
  removeMember,
  setMemberRole,
  unbanMember,
  updateRoomSettings,
} from "@/lib/rooms/moderation.service";
import { addMember, getRoomForViewer, joinRoom, listPublicRooms, sidebar } from "@/lib/rooms/rooms.service";
import { MemoryState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

const send = (u: SessionUser, roomId: string, body = "hi", state = new MemoryState()) =>
  sendMessage(u, { roomId, clientId: randomUUID(), body }, { state });

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}
async function errorOf(
  p: Promise<unknown>,
): Promise<{ code: string; message: string; retryAfterMs?: number }> {
  try {
    await p;
  } catch (err) {
    const e = err as { code: string; message: string; extra?: { retryAfterMs?: number } };
    return { code: e.code, message: e.message, retryAfterMs: e.extra?.retryAfterMs };
  }
  throw new Error("expected an error");
}

async function auditRows(action: string, targetId: string) {
  return db().auditLog.findMany({ where: { action, targetId } });
}

/** A public room with an owner, a room moderator and a member, plus workspace-role users outside it. */
async function setup() {
  const owner = await makeUser("owner");
  const roomMod = await makeUser("rmod");
  const member = await makeUser("member");
  const outsider = await makeUser("out");
  const wsMod = await makeUser("wsmod", "moderator");
  const admin = await makeUser("admin", "admin");
  const wsOwner = await makeUser("wsowner", "owner");
  const room = await makeRoom(owner);
  for (const u of [roomMod, member]) await addMember(owner, room.id, { username: u.username });
  await setMemberRole(owner, room.id, roomMod.id, { role: "moderator" });
  return { owner, roomMod, member, outsider, wsMod, admin, wsOwner, room };
}

describe("room settings", () => {
  it("room owner, room moderators and workspace moderators+ may change them; members and outsiders may not", async () => {
    const s = await setup();
    const who: [SessionUser, string][] = [
      [s.owner, "ok"],
      [s.roomMod, "ok"],
      [s.wsMod, "ok"],
      [s.admin, "ok"],
      [s.wsOwner, "ok"],
      [s.member, "forbidden"],
      [s.outsider, "forbidden"],
    ];
    for (const [u, expected] of who)
      expect(await codeOf(updateRoomSettings(u, s.room.id, { topic: `t ${u.username}` }))).toBe(expected);
    const priv = await makeRoom(s.owner, { isPrivate: true });
    expect(await codeOf(updateRoomSettings(s.outsider, priv.id, { topic: "x" }))).toBe("not_found");
  });

  it("renames with the same rules as createRoom, and audits", async () => {
    const s = await setup();
    const other = await makeRoom(s.owner);
    const taken = await errorOf(updateRoomSettings(s.owner, s.room.id, { name: other.name.toUpperCase() }));
    expect(taken).toMatchObject({ code: "conflict", message: "A room with that name already exists" });
    expect(await codeOf(updateRoomSettings(s.owner, s.room.id, { name: "" }))).toBe("validation");
    expect(await codeOf(updateRoomSettings(s.owner, s.room.id, {}))).toBe("validation");
    expect(await codeOf(updateRoomSettings(s.owner, s.room.id, { slowModeSeconds: 21_601 }))).toBe(
      "validation",
    );
    const name = unique("renamed");
    const settings = await updateRoomSettings(s.roomMod, s.room.id, {
      name,
      description: "line one\nline two",
    });
    expect(settings).toMatchObject({ name, description: "line one\nline two" });
    const [row] = await auditRows("room.update", s.room.id);
    expect(row).toMatchObject({ actorId: s.roomMod.id, targetLabel: `#${name}` });
    expect(row?.detail).toMatchObject({ name: { from: s.room.name, to: name } });
  });

  it("archive hides the room from Browse, refuses joins and posts, keeps it readable; unarchive undoes it", async () => {
    const s = await setup();
    await send(s.member, s.room.id, "before");
    await updateRoomSettings(s.owner, s.room.id, { archived: true });
    expect((await auditRows("room.archive", s.room.id)).length).toBe(1);
    const browse = await listPublicRooms(s.outsider, s.room.name);
    expect(browse.map((r) => r.id)).not.toContain(s.room.id);
    expect((await sidebar(s.member)).find((r) => r.id === s.room.id)?.archived).toBe(true);
    expect(await errorOf(joinRoom(s.outsider, s.room.id))).toMatchObject({ code: "forbidden" });
    for (const u of [s.member, s.owner, s.roomMod])
      expect(await errorOf(send(u, s.room.id, "after"))).toMatchObject({
        code: "forbidden",
        message: `#${s.room.name} is archived: nobody can post in it`,
      });
    expect((await getRoomForViewer(s.member, s.room.id)).archived).toBe(true);
    await updateRoomSettings(s.owner, s.room.id, { archived: false });
    expect((await auditRows("room.unarchive", s.room.id)).length).toBe(1);
    expect((await send(s.member, s.room.id, "back")).created).toBe(true);
  });

  it("announcement rooms: only room moderators and workspace moderators+ post", async () => {
    const s = await setup();
    await updateRoomSettings(s.owner, s.room.id, { readOnly: true });
    await joinRoom(s.wsMod, s.room.id);
    expect(await errorOf(send(s.member, s.room.id))).toMatchObject({
      code: "forbidden",
      message: "Only moderators can post in this announcement room",
    });
    for (const u of [s.owner, s.roomMod, s.wsMod]) expect((await send(u, s.room.id)).created).toBe(true);
  });

  it("read-only and archive refuse atomically: sends in flight when the switch commits never land after it", async () => {
    const s = await setup();
    for (const field of ["readOnly", "archived"] as const) {
      const room = await makeRoom(s.owner);
      await addMember(s.owner, room.id, { username: s.member.username });
      // Hold the Room row lock, so the sends queue behind it, then flip the setting in that lock.
      const results: Promise<unknown>[] = [];
      await db().$transaction(async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${room.id}::uuid FOR UPDATE`;
        for (let i = 0; i < 20; i++) results.push(send(s.member, room.id, `racing ${i}`).catch((e) => e));
        await new Promise((r) => setTimeout(r, 300)); // the sends are now waiting on the row
        await tx.room.update({
          where: { id: room.id },
          data: field === "readOnly" ? { readOnly: true } : { archivedAt: new Date() },
        });
      });
      const outcomes = await Promise.all(results);
      expect(outcomes.every((o) => (o as { code?: string }).code === "forbidden")).toBe(true);
      expect(await db().message.count({ where: { roomId: room.id } })).toBe(0);
      expect((await db().room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq).toBe(0);
    }
  });

  it("slow mode: one message per N seconds per member, with retryAfterMs; moderators are exempt", async () => {
    const s = await setup();
    const state = new MemoryState();
    await updateRoomSettings(s.owner, s.room.id, { slowModeSeconds: 30 });
    expect((await send(s.member, s.room.id, "one", state)).created).toBe(true);
    const limited = await errorOf(send(s.member, s.room.id, "two", state));
    expect(limited.code).toBe("rate_limited");
    expect(limited.message).toMatch(/^Slow mode: you can send again in (29|30) s$/);
    expect(limited.retryAfterMs).toBeGreaterThan(28_000);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(30_000);
    for (let i = 0; i < 3; i++)
      expect((await send(s.roomMod, s.room.id, `mod ${i}`, state)).created).toBe(true);
    // A refused send (not a member) does not use up the turn.
    const other = await makeRoom(s.owner, { isPrivate: true });
    await updateRoomSettings(s.owner, other.id, { slowModeSeconds: 30 });
    expect(await codeOf(send(s.member, other.id, "x", state))).toBe("not_found");
    await addMember(s.owner, other.id, { username: s.member.username });
    expect((await send(s.member, other.id, "now a member", state)).created).toBe(true);
    // Off again: sends go straight through.
    await updateRoomSettings(s.owner, s.room.id, { slowModeSeconds: 0 });
    expect((await send(s.member, s.room.id, "three", state)).created).toBe(true);
  });
});

describe("deleting a room", () => {
  it("owner or workspace admin, with the typed name; moderators and members cannot", async () => {
    const s = await setup();
    expect(await codeOf(deleteRoom(s.roomMod, s.room.id, { confirm: s.room.name }))).toBe("forbidden");
    expect(await codeOf(deleteRoom(s.wsMod, s.room.id, { confirm: s.room.name }))).toBe("forbidden");
    expect(await codeOf(deleteRoom(s.member, s.room.id, { confirm: s.room.name }))).toBe("forbidden");
    expect(await errorOf(deleteRoom(s.owner, s.room.id, { confirm: "wrong" }))).toMatchObject({
      code: "validation",
      message: `Type ${s.room.name} to confirm`,
    });
    expect(await codeOf(deleteRoom(s.owner, s.room.id, {}))).toBe("validation");
    const gone = await deleteRoom(s.admin, s.room.id, { confirm: s.room.name });
    expect(gone.memberIds.sort()).toEqual([s.owner.id, s.roomMod.id, s.member.id].sort());
    expect(await db().room.findUnique({ where: { id: s.room.id } })).toBeNull();
    expect((await auditRows("room.delete", s.room.id))[0]).toMatchObject({ actorId: s.admin.id });
  });
});

describe("members", () => {
  it("room moderators are chosen by the room's owner or a workspace admin", async () => {
    const s = await setup();
    expect(await codeOf(setMemberRole(s.roomMod, s.room.id, s.member.id, { role: "moderator" }))).toBe(
      "forbidden",
    );
    expect(await codeOf(setMemberRole(s.wsMod, s.room.id, s.member.id, { role: "moderator" }))).toBe(
      "forbidden",
    );
    expect(await codeOf(setMemberRole(s.owner, s.room.id, s.owner.id, { role: "member" }))).toBe(
      "validation",
    );
    expect(await codeOf(setMemberRole(s.owner, s.room.id, s.outsider.id, { role: "moderator" }))).toBe(
      "not_found",
    );
    expect(await codeOf(setMemberRole(s.owner, s.room.id, s.member.id, { role: "admin" }))).toBe(
      "validation",
    );
    await setMemberRole(s.admin, s.room.id, s.member.id, { role: "moderator" });
    expect((await getRoomForViewer(s.member, s.room.id)).myRole).toBe("moderator");
    expect((await auditRows("room.moderator.add", s.member.id)).length).toBe(1);
    await setMemberRole(s.owner, s.room.id, s.member.id, { role: "member" });
    expect((await auditRows("room.moderator.remove", s.member.id)).length).toBe(1);
  });

  it("remove: never yourself or the room owner; higher workspace ranks only by equal or higher", async () => {
    const s = await setup();
    for (const u of [s.wsMod, s.admin, s.wsOwner]) await joinRoom(u, s.room.id);
    const cases: [SessionUser, SessionUser, string][] = [
      [s.member, s.roomMod, "forbidden"], // members do not moderate
      [s.roomMod, s.roomMod, "validation"], // yourself
      [s.roomMod, s.owner, "forbidden"], // the room owner
      [s.admin, s.owner, "forbidden"],
      [s.roomMod, s.wsMod, "forbidden"], // a workspace moderator, by a room moderator
      [s.wsMod, s.admin, "forbidden"], // an admin, by a moderator
      [s.admin, s.wsOwner, "forbidden"], // an owner, by an admin
    ];
    for (const [actor, target, expected] of cases)
      expect(
        await codeOf(removeMember(actor, s.room.id, target.id)),
        `${actor.username}→${target.username}`,
      ).toBe(expected);
    const banOwner = await errorOf(banMember(s.admin, s.room.id, s.wsOwner.id, {}));
    expect(banOwner.message).toMatch(/workspace owner: only someone of that rank or higher can ban them/);
    expect(await codeOf(removeMember(s.wsOwner, s.room.id, s.admin.id))).toBe("ok");
    expect(await codeOf(removeMember(s.roomMod, s.room.id, s.member.id))).toBe("ok");
    expect((await auditRows("room.member.remove", s.member.id))[0]).toMatchObject({ actorId: s.roomMod.id });
    expect(await codeOf(removeMember(s.roomMod, s.room.id, s.member.id))).toBe("not_found");
    // A removed member of a public room may come back (only a ban keeps them out).
    expect((await joinRoom(s.member, s.room.id)).isMember).toBe(true);
  });

  it("ban: they leave, cannot rejoin or be re-added by anyone, until unbanned; DMs are not affected", async () => {
    const s = await setup();
    const ban = await banMember(s.roomMod, s.room.id, s.member.id, { reason: "spam" });
    expect(ban.wasMember).toBe(true);
    // Banned from a public room: it is not there for them any more (not readable, not joinable).
    expect(await codeOf(getRoomForViewer(s.member, s.room.id))).toBe("not_found");
    expect(await codeOf(joinRoom(s.member, s.room.id))).toBe("not_found");
    expect(await codeOf(listMessages(s.member, { roomId: s.room.id }))).toBe("not_found");
    expect(await codeOf(addMember(s.owner, s.room.id, { username: s.member.username }))).toBe("forbidden");
    expect(["forbidden", "not_found"]).toContain(await codeOf(send(s.member, s.room.id)));
    expect((await listBans(s.owner, s.room.id))[0]).toMatchObject({
      user: { id: s.member.id },
      reason: "spam",
      bannedBy: `@${s.roomMod.username}`,
    });
    expect(await codeOf(listBans(s.member, s.room.id))).toBe("not_found");
    expect((await auditRows("room.ban", s.member.id))[0]).toMatchObject({ actorId: s.roomMod.id });
    expect(await codeOf(unbanMember(s.member, s.room.id, s.member.id))).toBe("not_found");
    await unbanMember(s.owner, s.room.id, s.member.id);
    expect((await auditRows("room.unban", s.member.id)).length).toBe(1);
    expect(await codeOf(unbanMember(s.owner, s.room.id, s.member.id))).toBe("not_found");
    expect((await joinRoom(s.member, s.room.id)).isMember).toBe(true);
  });

  it("a private room's ban also keeps the owner from adding them back", async () => {
    const owner = await makeUser("powner");
    const m = await makeUser("pm");
    const room = await makeRoom(owner, { isPrivate: true });
    await addMember(owner, room.id, { username: m.username });
    await banMember(owner, room.id, m.id, {});
    expect(await codeOf(getRoomForViewer(m, room.id))).toBe("not_found");
    expect(await errorOf(addMember(owner, room.id, { username: m.username }))).toMatchObject({
      code: "forbidden",
      message: `@${m.username} is banned from this room: unban them in the room settings first`,
    });
  });
});

describe("messages", () => {
  it("a moderator deletes anyone's message: a placeholder 'removed by a moderator', audited", async () => {
    const s = await setup();
    const { message } = await send(s.member, s.room.id, "bad words");
    const mine = (await send(s.roomMod, s.room.id, "mod's own")).message;
    const other = await makeUser("other");
    await joinRoom(other, s.room.id);
    expect(await codeOf(deleteMessage(other, { roomId: s.room.id, messageId: message.id }))).toBe(
      "forbidden",
    );
    const removed = await deleteMessage(s.roomMod, { roomId: s.room.id, messageId: message.id });
    expect(removed).toMatchObject({ deleted: true, removedByModerator: true, body: "" });
    expect((await auditRows("message.delete", message.id))[0]).toMatchObject({ actorId: s.roomMod.id });
    const own = await deleteMessage(s.roomMod, { roomId: s.room.id, messageId: mine.id });
    expect(own).toMatchObject({ deleted: true, removedByModerator: false });
    expect((await auditRows("message.delete", mine.id)).length).toBe(0);
    // A workspace moderator who is not in the (public) room may moderate it too.
    const third = (await send(s.member, s.room.id, "third")).message;
    expect(await codeOf(deleteMessage(s.wsMod, { roomId: s.room.id, messageId: third.id }))).toBe("ok");
  });

  it("pins: moderators only; they bump rev and come through message:changes; the pinned list follows", async () => {
    const s = await setup();
    const { message } = await send(s.member, s.room.id, "read this first");
    const before = (await getRoomForViewer(s.member, s.room.id)).rev;
    expect(
      await codeOf(pinMessage(s.member, { roomId: s.room.id, messageId: message.id, pinned: true })),
    ).toBe("forbidden");
    const pinned = await pinMessage(s.roomMod, { roomId: s.room.id, messageId: message.id, pinned: true });
    expect(pinned).toMatchObject({ pinned: true });
    expect(pinned.rev).toBe(before + 1);
    const changes = await listChanges(s.member, {
      roomId: s.room.id,
      sinceRev: before,
      fromSeq: 1,
      toSeq: 10,
    });
    expect(changes.messages.map((m) => [m.id, m.pinned])).toEqual([[message.id, true]]);
    expect((await listPinned(s.member, s.room.id)).map((m) => m.id)).toEqual([message.id]);
    expect((await auditRows("message.pin", message.id)).length).toBe(1);
    await pinMessage(s.owner, { roomId: s.room.id, messageId: message.id, pinned: false });
    expect((await auditRows("message.unpin", message.id)).length).toBe(1);
    expect(await listPinned(s.member, s.room.id)).toEqual([]);
    // Deleting a pinned message takes it off the list.
    await pinMessage(s.owner, { roomId: s.room.id, messageId: message.id, pinned: true });
    await deleteMessage(s.member, { roomId: s.room.id, messageId: message.id });
    expect(await listPinned(s.member, s.room.id)).toEqual([]);
    expect(
      await codeOf(pinMessage(s.owner, { roomId: s.room.id, messageId: message.id, pinned: true })),
    ).toBe("conflict");
  });
});

describe("every moderator action is audited", () => {
  it("has one row per action with the actor", async () => {
    const s = await setup();
    const actions = await db().auditLog.findMany({
      where: { actorId: s.owner.id, action: "room.moderator.add", targetId: s.roomMod.id },
    });
    expect(actions.length).toBe(1);
    expect(actions[0]?.detail).toMatchObject({ roomId: s.room.id });
  });
});
