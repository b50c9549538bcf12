// Room moderation: settings (name, topic, description, announcement, archive, slow mode), deleting a
// room, room moderators, removing and banning members, and the send-path checks that depend on them.
// Who moderates a room: its owner and room moderators (Membership.role), and workspace moderators and
// above (canModerateRoom). The workspace role is read from the database (currentRole), never from a
// socket's handshake. Every action writes an AuditLog row in the same transaction as the change.
// The callers (route handlers) tell the live side: room:updated, room:removed (registry.ts).
import { recordAudit } from "@/lib/audit/audit.service";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { MemoryState, type SharedState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { currentRole, type RoleOf } from "@/lib/workspace/access";
import { asRole, atLeast, canModerateRoom, isAdmin, ROLE_LABELS } from "@/lib/workspace/roles";
import {
  type BanView,
  banSchema,
  deleteRoomSchema,
  memberRoleSchema,
  type RoomSettings,
  roomSettingsSchema,
  userIdSchema,
} from "./moderation.schema";
import type { MemberView, RoomView } from "./rooms.schema";
import { getRoomForViewer, roomNameKey } from "./rooms.service";

type Actor = Pick<SessionUser, "id">;

export interface Moderation {
  actor: RoleOf;
  room: RoomView;
}

/**
 * The room and the acting user, if the actor may moderate it: not_found when they cannot see it,
 * forbidden when they can but may not moderate it. DMs have no moderation.
 */
export async function requireRoomModerator(actor: Actor, roomId: unknown): Promise<Moderation> {
  const me = await currentRole(actor.id);
  const room = await getRoomForViewer(me, roomId);
  if (room.kind === "dm") throw new AppError("forbidden", "Direct conversations have no moderators");
  if (!canModerateRoom(me.role, room.myRole))
    throw new AppError("forbidden", `Only the owner and moderators of #${room.name} can do that`);
  return { actor: me, room };
}

/** May this user moderate this room right now? (Read from the database; false for non-members of private rooms.) */
export async function mayModerate(userId: string, roomId: string): Promise<boolean> {
  const [row] = await db().$queryRaw<{ roomRole: string | null; role: string }[]>`
    SELECT m.role AS "roomRole", u.role FROM "User" u
    LEFT JOIN "Membership" m ON m."userId" = u.id AND m."roomId" = ${roomId}::uuid
    WHERE u.id = ${userId}::uuid AND u."deactivatedAt" IS NULL`;
  return row ? canModerateRoom(asRole(row.role), row.roomRole) : false;
}

const settingsSelect = {
  id: true,
  name: true,
  topic: true,
  description: true,
  readOnly: true,
  archivedAt: true,
  slowModeSeconds: true,
} as const satisfies Prisma.RoomSelect;

function toSettings(r: Prisma.RoomGetPayload<{ select: typeof settingsSelect }>): RoomSettings {
  return {
    roomId: r.id,
    name: r.name,
    topic: r.topic,
    description: r.description,
    readOnly: r.readOnly,
    archived: r.archivedAt !== null,
    slowModeSeconds: r.slowModeSeconds,
  };
}

const audit = (actor: RoleOf) => ({ id: actor.id, username: actor.username });

/** Change a room's settings (only the fields given). Returns the new settings for room:updated. */
export async function updateRoomSettings(
  actor: Actor,
  roomId: unknown,
  input: unknown,
): Promise<RoomSettings> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  const data = parseOrThrow(roomSettingsSchema, input);
  try {
    const updated = await db().$transaction(async (tx) => {
      const before = await tx.room.findUniqueOrThrow({ where: { id: room.id }, select: settingsSelect });
      const change: Prisma.RoomUpdateInput = {};
      const changed: Record<string, { from: Prisma.InputJsonValue; to: Prisma.InputJsonValue }> = {};
      const note = (field: string, from: Prisma.InputJsonValue, to: Prisma.InputJsonValue) => {
        if (from !== to) changed[field] = { from, to };
      };
      if (data.name !== undefined && data.name !== before.name) {
        change.name = data.name;
        change.nameKey = roomNameKey(data.name);
        note("name", before.name, data.name);
      }
      for (const field of ["topic", "description", "readOnly", "slowModeSeconds"] as const) {
        const to = data[field];
        if (to === undefined || to === before[field]) continue;
        (change as Record<string, unknown>)[field] = to;
        note(field, before[field], to);
      }
      const archive = data.archived !== undefined && data.archived !== (before.archivedAt !== null);
      if (archive) change.archivedAt = data.archived ? new Date() : null;
      if (Object.keys(change).length === 0) return before;
      const after = await tx.room.update({ where: { id: room.id }, data: change, select: settingsSelect });
      const target = { targetType: "room" as const, targetId: room.id, targetLabel: `#${after.name}` };
      if (archive)
        await recordAudit(
          { actor: audit(me), action: data.archived ? "room.archive" : "room.unarchive", ...target },
          tx,
        );
      if (Object.keys(changed).length > 0)
        await recordAudit({ actor: audit(me), action: "room.update", ...target, detail: changed }, tx);
      return after;
    });
    forgetSlowMode(room.id);
    return toSettings(updated);
  } catch (err) {
    if (isUniqueViolation(err)) {
      const message = "A room with that name already exists";
      throw new AppError("conflict", message, { fields: { name: [message] } });
    }
    throw err;
  }
}

/** The room's current settings, for a member's tab (no authorization beyond seeing the room). */
export async function roomSettings(actor: Actor, roomId: unknown): Promise<RoomSettings> {
  const room = await getRoomForViewer(actor, roomId);
  return toSettings(await db().room.findUniqueOrThrow({ where: { id: room.id }, select: settingsSelect }));
}

/**
 * Delete a room and its history: its owner or a workspace admin, who must type the room's name
 * (`{confirm: name}`). Returns who was in it, whose tabs the caller tells (room:removed).
 */
export async function deleteRoom(
  actor: Actor,
  roomId: unknown,
  input: unknown,
): Promise<{ roomId: string; name: string; memberIds: string[]; fileIds: string[] }> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  if (!room.isOwner && !isAdmin(me.role))
    throw new AppError("forbidden", "Only the room's owner or a workspace admin can delete a room");
  const { confirm } = parseOrThrow(deleteRoomSchema, input);
  if (confirm.trim() !== room.name) {
    const message = `Type ${room.name} to confirm`;
    throw new AppError("validation", message, { fields: { confirm: [message] } });
  }
  const { memberIds, fileIds } = await db().$transaction(async (tx) => {
    const members = await tx.membership.findMany({ where: { roomId: room.id }, select: { userId: true } });
    // The rows of the room's files go with it (ON DELETE CASCADE); their stored objects are removed
    // by the caller after commit (files.service `purgeLater`), or they would stay in storage for ever.
    const files = await tx.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM "File" WHERE "roomId" = ${room.id}::uuid FOR UPDATE`;
    await recordAudit(
      {
        actor: audit(me),
        action: "room.delete",
        targetType: "room",
        targetId: room.id,
        targetLabel: `#${room.name}`,
        detail: { members: members.length, messages: room.lastSeq },
      },
      tx,
    );
    // Memberships, messages, reactions, mentions and bans go with it (ON DELETE CASCADE).
    await tx.room.delete({ where: { id: room.id } });
    return { memberIds: members.map((m) => m.userId), fileIds: files.map((f) => f.id) };
  });
  forgetSlowMode(room.id);
  return { roomId: room.id, name: room.name, memberIds, fileIds };
}

/** The person a member action is about, with their workspace role and their role in the room. */
async function targetOf(roomId: string, userIdInput: unknown) {
  const id = userIdSchema.safeParse(userIdInput);
  if (!id.success) throw new AppError("not_found", "No such user");
  const user = await db().user.findUnique({
    where: { id: id.data },
    select: {
      id: true,
      username: true,
      displayName: true,
      role: true,
      memberships: { where: { roomId }, select: { role: true } },
    },
  });
  if (!user) throw new AppError("not_found", "No such user");
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: asRole(user.role),
    roomRole: user.memberships[0]?.role ?? null,
  };
}
type Target = Awaited<ReturnType<typeof targetOf>>;

/**
 * Removing and banning: never yourself, never the room's owner; a workspace moderator, admin or
 * owner only by someone of at least their workspace rank; a room moderator only by the room's owner
 * or a workspace moderator and above.
 */
function checkMayRemove(me: RoleOf, room: RoomView, target: Target, verb: "remove" | "ban"): void {
  if (target.id === me.id)
    throw new AppError(
      "validation",
      verb === "ban" ? "You cannot ban yourself" : "You cannot remove yourself: use Leave room",
    );
  if (target.id === room.ownerId)
    throw new AppError("forbidden", `The room's owner cannot be ${verb === "ban" ? "banned" : "removed"}`);
  if (atLeast(target.role, "moderator") && !atLeast(me.role, target.role))
    throw new AppError(
      "forbidden",
      `@${target.username} is a workspace ${ROLE_LABELS[target.role].toLowerCase()}: only someone of that rank or higher can ${verb} them`,
    );
  if (target.roomRole === "moderator" && !room.isOwner && !atLeast(me.role, "moderator"))
    throw new AppError("forbidden", `Only the room's owner can ${verb} a room moderator`);
}

/** Make a member a room moderator, or a moderator a member again: the room's owner or a workspace admin. */
export async function setMemberRole(
  actor: Actor,
  roomId: unknown,
  userId: unknown,
  input: unknown,
): Promise<MemberView & { roomId: string }> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  if (!room.isOwner && !isAdmin(me.role))
    throw new AppError("forbidden", "Only the room's owner or a workspace admin can choose its moderators");
  const { role } = parseOrThrow(memberRoleSchema, input);
  const target = await targetOf(room.id, userId);
  if (!target.roomRole) throw new AppError("not_found", `@${target.username} is not in #${room.name}`);
  if (target.roomRole === "owner" || target.id === room.ownerId)
    throw new AppError("validation", "The room's owner is not a moderator; their role cannot change");
  if (target.roomRole !== role) {
    await db().$transaction(async (tx) => {
      const { count } = await tx.membership.updateMany({
        where: { roomId: room.id, userId: target.id, role: { not: "owner" } },
        data: { role },
      });
      if (count === 0) throw new AppError("not_found", `@${target.username} is not in #${room.name}`);
      await recordAudit(
        {
          actor: audit(me),
          action: role === "moderator" ? "room.moderator.add" : "room.moderator.remove",
          targetType: "user",
          targetId: target.id,
          targetLabel: `@${target.username}`,
          detail: { roomId: room.id, room: room.name },
        },
        tx,
      );
    });
  }
  return {
    id: target.id,
    username: target.username,
    displayName: target.displayName,
    role,
    roomId: room.id,
  };
}

export interface Removal {
  roomId: string;
  roomName: string;
  userId: string;
}

/** Take someone out of a room at once (they may rejoin a public room; see banMember). */
export async function removeMember(actor: Actor, roomId: unknown, userId: unknown): Promise<Removal> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  const target = await targetOf(room.id, userId);
  checkMayRemove(me, room, target, "remove");
  if (!target.roomRole) throw new AppError("not_found", `@${target.username} is not in #${room.name}`);
  await db().$transaction(async (tx) => {
    const { count } = await tx.membership.deleteMany({
      where: { roomId: room.id, userId: target.id, role: { not: "owner" } },
    });
    if (count === 0) throw new AppError("not_found", `@${target.username} is not in #${room.name}`);
    await recordAudit(
      {
        actor: audit(me),
        action: "room.member.remove",
        targetType: "user",
        targetId: target.id,
        targetLabel: `@${target.username}`,
        detail: { roomId: room.id, room: room.name },
      },
      tx,
    );
  });
  return { roomId: room.id, roomName: room.name, userId: target.id };
}

/**
 * Ban someone: they leave the room at once and cannot join it again, be added back by anyone, or
 * come in through a room invite, until they are unbanned. Banning a non-member keeps them out.
 */
export async function banMember(
  actor: Actor,
  roomId: unknown,
  userId: unknown,
  input: unknown,
): Promise<Removal & { wasMember: boolean }> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  const { reason } = parseOrThrow(banSchema, input);
  const target = await targetOf(room.id, userId);
  checkMayRemove(me, room, target, "ban");
  const wasMember = await db().$transaction(async (tx) => {
    await tx.roomBan.upsert({
      where: { roomId_userId: { roomId: room.id, userId: target.id } },
      create: { roomId: room.id, userId: target.id, bannedById: me.id, reason },
      update: { bannedById: me.id, reason },
    });
    const { count } = await tx.membership.deleteMany({
      where: { roomId: room.id, userId: target.id, role: { not: "owner" } },
    });
    await recordAudit(
      {
        actor: audit(me),
        action: "room.ban",
        targetType: "user",
        targetId: target.id,
        targetLabel: `@${target.username}`,
        detail: { roomId: room.id, room: room.name, reason },
      },
      tx,
    );
    return count > 0;
  });
  return { roomId: room.id, roomName: room.name, userId: target.id, wasMember };
}

export async function unbanMember(
  actor: Actor,
  roomId: unknown,
  userId: unknown,
): Promise<{ roomId: string; userId: string }> {
  const { actor: me, room } = await requireRoomModerator(actor, roomId);
  const target = await targetOf(room.id, userId);
  await db().$transaction(async (tx) => {
    const { count } = await tx.roomBan.deleteMany({ where: { roomId: room.id, userId: target.id } });
    if (count === 0) throw new AppError("not_found", `@${target.username} is not banned from #${room.name}`);
    await recordAudit(
      {
        actor: audit(me),
        action: "room.unban",
        targetType: "user",
        targetId: target.id,
        targetLabel: `@${target.username}`,
        detail: { roomId: room.id, room: room.name },
      },
      tx,
    );
  });
  return { roomId: room.id, userId: target.id };
}

export async function listBans(actor: Actor, roomId: unknown): Promise<BanView[]> {
  const { room } = await requireRoomModerator(actor, roomId);
  const rows = await db().roomBan.findMany({
    where: { roomId: room.id },
    orderBy: { createdAt: "desc" },
    take: 500,
    select: {
      reason: true,
      createdAt: true,
      bannedById: true,
      user: { select: { id: true, username: true, displayName: true } },
    },
  });
  const by = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.bannedById))] } },
    select: { id: true, username: true },
  });
  const names = new Map(by.map((u) => [u.id, `@${u.username}`]));
  return rows.map((r) => ({
    user: r.user,
    bannedBy: names.get(r.bannedById) ?? "someone",
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
  }));
}

// ---- The send path -------------------------------------------------------------------------------

/**
 * Why the actor may not post in this room right now (archived, or an announcement room and they do
 * not moderate it), or null. The insert statement enforces both itself (insert-batch.ts); this is
 * how a send it refused finds out why, and what the composer says.
 */
export async function postingRefusal(actorId: string, roomId: string): Promise<AppError | null> {
  const room = await db().room.findUnique({
    where: { id: roomId },
    select: { name: true, readOnly: true, archivedAt: true },
  });
  if (!room) return null;
  if (room.archivedAt) return new AppError("forbidden", `#${room.name} is archived: nobody can post in it`);
  if (room.readOnly && !(await mayModerate(actorId, roomId)))
    return new AppError("forbidden", "Only moderators can post in this announcement room");
  return null;
}

/**
 * Slow mode per room, cached per process for a moment: the send path would otherwise read the room
 * on every send. A change made on this node is seen at once (forgetSlowMode), one made on another
 * node within SLOW_MODE_CACHE_MS. Kept on globalThis: the route handlers (Next bundle) that change it
 * and the socket handlers (server.ts) that read it are separate module instances.
 */
const SLOW_MODE_CACHE_MS = 2_000;
const g = globalThis as unknown as {
  __beaconSlowMode?: Map<string, { seconds: number; at: number }>;
  __beaconSlowState?: SharedState;
};
g.__beaconSlowMode ??= new Map();
const slowModes = g.__beaconSlowMode;

export function forgetSlowMode(roomId: string): void {
  slowModes.delete(roomId);
}

async function slowModeOf(roomId: string): Promise<number> {
  const hit = slowModes.get(roomId);
  if (hit && Date.now() - hit.at < SLOW_MODE_CACHE_MS) return hit.seconds;
  const room = await db().room.findUnique({ where: { id: roomId }, select: { slowModeSeconds: true } });
  const seconds = room?.slowModeSeconds ?? 0;
  if (slowModes.size > 10_000) slowModes.clear();
  slowModes.set(roomId, { seconds, at: Date.now() });
  return seconds;
}

/**
 * Slow mode: take this member's turn in the room (one message per N seconds), in shared state so it
 * holds across nodes, before the send is queued. Moderators are exempt. Throws rate_limited with
 * retryAfterMs; returns a function that gives the turn back when the send then stores nothing.
 */
export async function takeSlowModeTurn(
  actorId: string,
  roomId: string,
  state: SharedState | undefined,
): Promise<(() => Promise<void>) | null> {
  const seconds = await slowModeOf(roomId);
  if (seconds <= 0) return null;
  if (await mayModerate(actorId, roomId)) return null;
  g.__beaconSlowState ??= new MemoryState(); // tests that call the service without a socket
  const shared = state ?? g.__beaconSlowState;
  const key = `slow:${roomId}:${actorId}`;
  const waitMs = await shared.claim(key, seconds * 1000);
  if (waitMs > 0) {
    const s = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError("rate_limited", `Slow mode: you can send again in ${s} s`, { retryAfterMs: waitMs });
  }
  return () => shared.release(key);
}
