// Rooms (channels and DMs) and memberships. Every function takes the acting user and authorizes
// before touching data: a private room or DM is invisible (404, never 403) to non-members.

import { db, isUniqueViolation, prepared } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { avatarUrl } from "@/lib/files/files.schema";
import { escapeLike, filterTextSchema } from "@/lib/text";
import type { SessionUser } from "@/lib/users/users.schema";
import { getUserByUsername } from "@/lib/users/users.service";
import { currentRole } from "@/lib/workspace/access";
import { isGuest } from "@/lib/workspace/roles";
import {
  addMemberSchema,
  createRoomSchema,
  MAX_DM_MEMBERS,
  type MemberView,
  markReadSchema,
  muteSchema,
  openDmSchema,
  type RoomKind,
  type RoomSummary,
  type RoomView,
  roomIdSchema,
  type SidebarRoom,
} from "./rooms.schema";

type Actor = Pick<SessionUser, "id">;

export const GUESTS_CANNOT_BROWSE = "Guests cannot browse public rooms: you see the rooms you were added to";

/** Throws `forbidden` with `message` when the actor is (now) a guest: the role is read fresh. */
async function refuseGuest(actor: Actor, message: string): Promise<void> {
  if (isGuest((await currentRole(actor.id)).role)) throw new AppError("forbidden", message);
}

/** Of `userIds`, those who share at least one room with `actorId`. */
export async function roomMatesOf(actorId: string, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const rows = await db().membership.findMany({
    where: { userId: { in: userIds }, room: { memberships: { some: { userId: actorId } } } },
    select: { userId: true },
    distinct: ["userId"],
  });
  return rows.map((r) => r.userId);
}

/** The one answer for a room the actor may not see, whether it is hidden, missing or its id malformed. */
export const roomNotFound = () =>
  new AppError("not_found", "That room does not exist or you do not have access to it");

export function roomNameKey(name: string): string {
  return name.normalize("NFKC").trim().toLowerCase();
}

/** DM keys start with a control character, which channel names may not contain: no collisions. */
export function dmKey(userIds: string[]): string {
  return `\u0001dm:${[...new Set(userIds)].sort().join(",")}`;
}

const summarySelect = {
  id: true,
  kind: true,
  name: true,
  topic: true,
  isPrivate: true,
  ownerId: true,
  lastSeq: true,
  rev: true,
  description: true,
  readOnly: true,
  archivedAt: true,
  slowModeSeconds: true,
  _count: { select: { memberships: true } },
} as const satisfies Prisma.RoomSelect;

type SummaryRow = Prisma.RoomGetPayload<{ select: typeof summarySelect }>;

function toSummary(r: SummaryRow, name = r.name): RoomSummary {
  return {
    id: r.id,
    kind: r.kind === "dm" ? "dm" : "channel",
    name,
    topic: r.topic,
    isPrivate: r.isPrivate,
    ownerId: r.ownerId,
    lastSeq: r.lastSeq,
    rev: r.rev,
    memberCount: r._count.memberships,
    description: r.description,
    readOnly: r.readOnly,
    archived: r.archivedAt !== null,
    slowModeSeconds: r.slowModeSeconds,
  };
}

/** What a DM is called for one viewer: the other people in it (or "you" alone). */
async function dmNames(roomIds: string[], viewerId: string): Promise<Map<string, string>> {
  const info = await dmInfo(roomIds, viewerId);
  return new Map([...info].map(([id, i]) => [id, i.name]));
}

/**
 * A DM's name for one viewer (the others' display names, sorted), and the first of them (whose
 * avatar the sidebar shows).
 */
async function dmInfo(
  roomIds: string[],
  viewerId: string,
): Promise<Map<string, { name: string; peer: SidebarRoom["peer"]; group: boolean }>> {
  const out = new Map<string, { name: string; peer: SidebarRoom["peer"]; group: boolean }>();
  if (roomIds.length === 0) return out;
  const rows = await db().membership.findMany({
    where: { roomId: { in: roomIds } },
    select: { roomId: true, userId: true, user: { select: { displayName: true } } },
    orderBy: { joinedAt: "asc" },
  });
  const by = new Map<string, { id: string; displayName: string }[]>();
  for (const r of rows) {
    if (r.userId === viewerId) continue;
    by.set(r.roomId, [...(by.get(r.roomId) ?? []), { id: r.userId, displayName: r.user.displayName }]);
  }
  for (const id of roomIds) {
    // One order everywhere (sidebar, header, title), whatever order the members joined in.
    const others = (by.get(id) ?? []).sort(
      (a, b) => a.displayName.localeCompare(b.displayName, "en") || a.id.localeCompare(b.id),
    );
    out.set(id, {
      name: others.map((o) => o.displayName).join(", ") || "Just you",
      peer: others[0] ?? null,
      group: others.length > 1,
    });
  }
  return out;
}

export async function createRoom(actor: Actor, input: unknown): Promise<RoomView> {
  const data = parseOrThrow(createRoomSchema, input);
  await refuseGuest(actor, "Guests cannot create rooms");
  try {
    const room = await db().room.create({
      data: {
        name: data.name,
        nameKey: roomNameKey(data.name),
        topic: data.topic,
        isPrivate: data.isPrivate,
        ownerId: actor.id,
        memberships: { create: { userId: actor.id, role: "owner" } },
      },
      select: summarySelect,
    });
    return {
      ...toSummary(room),
      isMember: true,
      isOwner: true,
      myRole: "owner",
      lastReadSeq: 0,
      muted: false,
    };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const message = "A room with that name already exists";
      throw new AppError("conflict", message, { fields: { name: [message] } });
    }
    throw err;
  }
}

/** Open the DM with these people (one per set of people: opening it again returns the same one). */
export async function openDm(
  actor: SessionUser,
  input: unknown,
): Promise<{ room: RoomView; created: boolean; memberIds: string[] }> {
  const { usernames } = parseOrThrow(openDmSchema, input);
  const others = [...new Set(usernames)].filter((u) => u !== actor.username);
  const users = await db().user.findMany({
    // Deactivated accounts cannot be messaged: they count as missing.
    where: { username: { in: others }, deactivatedAt: null },
    select: { id: true, username: true, displayName: true },
  });
  // Guests may talk only to people they share a room with: anyone else does not exist for them.
  const me = await currentRole(actor.id);
  if (isGuest(me.role)) {
    const visible = new Set(
      await roomMatesOf(
        actor.id,
        users.map((u) => u.id),
      ),
    );
    users.splice(0, users.length, ...users.filter((u) => visible.has(u.id)));
  }
  const missing = others.filter((u) => !users.some((x) => x.username === u));
  if (missing.length > 0) {
    const message = `No user named ${missing.map((m) => `@${m}`).join(", ")}`;
    throw new AppError("not_found", message, { fields: { usernames: [message] } });
  }
  const ids = [actor.id, ...users.map((u) => u.id)];
  if (ids.length > MAX_DM_MEMBERS)
    throw new AppError("validation", `A group conversation holds at most ${MAX_DM_MEMBERS} people`);
  const key = dmKey(ids);
  const existing = await db().room.findFirst({ where: { nameKey: key, kind: "dm" }, select: { id: true } });
  if (existing) return { room: await getRoomForViewer(actor, existing.id), created: false, memberIds: ids };
  try {
    const room = await db().room.create({
      data: {
        kind: "dm",
        name: [actor.displayName, ...users.map((u) => u.displayName)].join(", ").slice(0, 200),
        nameKey: key,
        isPrivate: true,
        ownerId: actor.id,
        memberships: {
          create: ids.map((userId) => ({ userId, role: userId === actor.id ? "owner" : "member" })),
        },
      },
      select: { id: true },
    });
    return { room: await getRoomForViewer(actor, room.id), created: true, memberIds: ids };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const raced = await db().room.findFirstOrThrow({
      where: { nameKey: key, kind: "dm" },
      select: { id: true },
    });
    return { room: await getRoomForViewer(actor, raced.id), created: false, memberIds: ids };
  }
}

/** Rooms the actor belongs to. */
export async function listMyRooms(actor: Actor): Promise<RoomSummary[]> {
  const rooms = await db().room.findMany({
    where: { memberships: { some: { userId: actor.id } } },
    select: summarySelect,
    orderBy: { nameKey: "asc" },
  });
  const names = await dmNames(
    rooms.filter((r) => r.kind === "dm").map((r) => r.id),
    actor.id,
  );
  return rooms.map((r) => toSummary(r, names.get(r.id) ?? r.name));
}

/** The sidebar: my channels (by name) and DMs (latest activity first), with unread and mention counts. */
export async function sidebar(actor: Actor): Promise<SidebarRoom[]> {
  const rows = await db().$queryRaw<
    {
      id: string;
      kind: string;
      name: string;
      isPrivate: boolean;
      lastSeq: number;
      lastReadSeq: number;
      muted: boolean;
      lastMessageAt: Date | null;
      archived: boolean;
      mentions: number;
      draft: boolean;
    }[]
  >`
    SELECT r.id, r.kind, r.name, r."isPrivate", r."lastSeq", m."lastReadSeq", m.muted, r."lastMessageAt",
      r."archivedAt" IS NOT NULL AS archived,
      (SELECT count(*)::int FROM "Mention" x
        WHERE x."userId" = m."userId" AND x."roomId" = r.id AND x.seq > m."lastReadSeq") AS mentions,
      EXISTS (SELECT 1 FROM "Draft" d WHERE d."userId" = m."userId" AND d."roomId" = r.id) AS draft
    FROM "Membership" m JOIN "Room" r ON r.id = m."roomId"
    WHERE m."userId" = ${actor.id}::uuid
    ORDER BY r.kind, CASE WHEN r.kind = 'dm' THEN COALESCE(r."lastMessageAt", r."createdAt") END DESC NULLS LAST, r."nameKey"`;
  const dms = await dmInfo(
    rows.filter((r) => r.kind === "dm").map((r) => r.id),
    actor.id,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: (r.kind === "dm" ? "dm" : "channel") as RoomKind,
    name: dms.get(r.id)?.name ?? r.name,
    ...(dms.has(r.id) ? { peer: dms.get(r.id)?.peer ?? null } : {}),
    ...(dms.get(r.id)?.group ? { group: true } : {}),
    isPrivate: r.isPrivate,
    lastSeq: r.lastSeq,
    lastReadSeq: r.lastReadSeq,
    unread: Math.max(0, r.lastSeq - r.lastReadSeq),
    mentions: r.mentions,
    muted: r.muted,
    lastMessageAt: r.lastMessageAt ? new Date(r.lastMessageAt).toISOString() : null,
    archived: r.archived,
    draft: r.draft,
  }));
}

/** Public channels with member counts, for the browse view (archived ones are hidden). */
export async function listPublicRooms(
  actor: Actor,
  query: unknown = "",
): Promise<(RoomSummary & { isMember: boolean })[]> {
  const q = roomNameKey(parseOrThrow(filterTextSchema, query).slice(0, 64));
  await refuseGuest(actor, GUESTS_CANNOT_BROWSE);
  const rooms = await db().room.findMany({
    where: {
      isPrivate: false,
      kind: "channel",
      archivedAt: null,
      ...(q ? { nameKey: { contains: escapeLike(q) } } : {}),
    },
    select: { ...summarySelect, memberships: { where: { userId: actor.id }, select: { userId: true } } },
    orderBy: [{ memberships: { _count: "desc" } }, { nameKey: "asc" }],
    take: 200,
  });
  return rooms.map((r) => ({ ...toSummary(r), isMember: r.memberships.length > 0 }));
}

/**
 * The room as the actor may see it, or not_found. The one read-authorization check that every
 * transport (page, API, socket) goes through.
 */
export async function getRoomForViewer(actor: Actor, roomId: unknown): Promise<RoomView> {
  const id = roomIdSchema.safeParse(roomId);
  if (!id.success) throw roomNotFound();
  const room = await db().room.findUnique({
    where: { id: id.data },
    select: {
      ...summarySelect,
      memberships: { where: { userId: actor.id }, select: { role: true, lastReadSeq: true, muted: true } },
    },
  });
  if (!room) throw roomNotFound();
  const mine = room.memberships[0];
  if (room.isPrivate && !mine) throw roomNotFound();
  // Guests see only the rooms they were added to: a public room they are not in is not there for them.
  if (!mine && isGuest((await currentRole(actor.id)).role)) throw roomNotFound();
  // Banned from a public room: not readable either (history, live events, files), not only not joinable.
  if (!mine && (await isBanned(room.id, actor.id))) throw roomNotFound();
  const name = room.kind === "dm" ? (await dmNames([room.id], actor.id)).get(room.id) : room.name;
  return {
    ...toSummary(room, name),
    isMember: Boolean(mine),
    // Ownership rights (moderation, adding members) belong to an owner who is still in the room.
    isOwner: room.ownerId === actor.id && Boolean(mine),
    myRole: mine?.role ?? null,
    lastReadSeq: mine?.lastReadSeq ?? 0,
    muted: mine?.muted ?? false,
  };
}

/** Throws unless the actor is a member (needed to post). */
export async function requireMembership(actor: Actor, roomId: string): Promise<void> {
  const m = await db().membership.findUnique({
    where: { roomId_userId: { roomId, userId: actor.id } },
    select: { role: true },
  });
  if (m) return;
  const room = await getRoomForViewer(actor, roomId); // not_found for hidden rooms
  throw new AppError("forbidden", `Join #${room.name} to send messages`);
}

export async function joinRoom(actor: Actor, roomId: unknown): Promise<RoomView> {
  const room = await getRoomForViewer(actor, roomId);
  if (room.isMember) return room;
  if (room.isPrivate) throw roomNotFound();
  if (await isBanned(room.id, actor.id))
    throw new AppError("forbidden", `You were banned from #${room.name} and cannot join it again`);
  if (room.archived) throw new AppError("forbidden", `#${room.name} is archived: nobody can join it`);
  // The last one out of a room stays its owner (leaveRoom): back in, they are the owner again, and
  // their membership says so too (listMembers reads roles from memberships).
  const role = room.ownerId === actor.id ? "owner" : "member";
  await db()
    .membership.create({ data: { roomId: room.id, userId: actor.id, lastReadSeq: room.lastSeq, role } })
    .catch((err) => {
      if (!isUniqueViolation(err)) throw err; // joined twice at once: fine
    });
  return getRoomForViewer(actor, room.id);
}

/**
 * Leave a channel. A private one becomes invisible to the leaver (the caller revokes live access).
 * An owner who leaves hands the room to the member who has been in it longest: otherwise nobody
 * could add people to a private room again.
 */
export async function leaveRoom(actor: Actor, roomId: unknown): Promise<RoomView> {
  const room = await getRoomForViewer(actor, roomId);
  if (room.kind === "dm")
    throw new AppError("validation", "Direct conversations cannot be left; mute them instead");
  const left = !room.isMember
    ? 0
    : await db().$transaction(async (tx) => {
        // Leaves of one room take turns on the room's row, so who owns it and who is still in it are
        // read after any other leave has finished: the owner and the oldest member leaving at once
        // would otherwise make a member who just left the owner, or find their membership gone.
        // NO KEY UPDATE does not block the foreign-key checks of messages and memberships being added.
        const [locked] = await tx.$queryRaw<{ ownerId: string }[]>`
          SELECT "ownerId"::text AS "ownerId" FROM "Room" WHERE id = ${room.id}::uuid FOR NO KEY UPDATE`;
        const { count } = await tx.membership.deleteMany({ where: { roomId: room.id, userId: actor.id } });
        if (count === 0 || locked?.ownerId !== actor.id) return count;
        const heir = await tx.membership.findFirst({
          where: { roomId: room.id },
          orderBy: [{ joinedAt: "asc" }, { userId: "asc" }],
          select: { userId: true },
        });
        // The last one out: the room keeps them as its owner (ownerId cannot be empty). A public
        // room is theirs again if they rejoin (joinRoom); an empty private room can be seen and
        // joined by nobody, so it stays, unreachable, with its history.
        if (!heir) return count;
        // Other leaves wait on the row lock, so the heir is still a member; the count check keeps any
        // later way out (kicks, deleted accounts) from making a non-member the owner.
        const promoted = await tx.membership.updateMany({
          where: { roomId: room.id, userId: heir.userId },
          data: { role: "owner" },
        });
        if (promoted.count === 0) throw new Error(`leaveRoom: heir of room ${room.id} left meanwhile`);
        await tx.room.update({ where: { id: room.id }, data: { ownerId: heir.userId } });
        return count;
      });
  return { ...room, isMember: false, isOwner: false, memberCount: room.memberCount - left };
}

/** The owner adds someone by username (the way into a private room). */
/** Returns the room's id as stored (lower-case), for the caller's live-channel grant. */
export async function addMember(
  actor: Actor,
  roomId: unknown,
  input: unknown,
): Promise<MemberView & { roomId: string }> {
  const room = await getRoomForViewer(actor, roomId);
  const { username } = parseOrThrow(addMemberSchema, input);
  if (room.kind === "dm") throw new AppError("validation", "People cannot be added to a direct conversation");
  if (!room.isOwner) throw new AppError("forbidden", "Only the room owner can add members");
  const user = await getUserByUsername(username);
  if (!user) {
    const message = `No user named @${username}`;
    throw new AppError("not_found", message, { fields: { username: [message] } });
  }
  if (await isBanned(room.id, user.id)) {
    const message = `@${user.username} is banned from this room: unban them in the room settings first`;
    throw new AppError("forbidden", message, { fields: { username: [message] } });
  }
  const membership = await db().membership.upsert({
    where: { roomId_userId: { roomId: room.id, userId: user.id } },
    create: { roomId: room.id, userId: user.id },
    update: {},
    select: { role: true },
  });
  return { ...user, role: membership.role, roomId: room.id };
}

/**
 * Is this user banned from this room (RoomBan)? A banned user cannot join, be added, or use a room
 * invite to get back in (the invite path asks this too). DMs have no bans.
 */
export async function isBanned(roomId: string, userId: string): Promise<boolean> {
  const ban = await db().roomBan.findUnique({
    where: { roomId_userId: { roomId, userId } },
    select: { userId: true },
  });
  return ban !== null;
}

/** Move my read marker forward (never back, never past the last message). */
export async function markRead(
  actor: Actor,
  input: unknown,
): Promise<{ roomId: string; lastReadSeq: number }> {
  const { roomId, seq } = parseOrThrow(markReadSchema, input);
  const rows = await db().$queryRaw<{ lastReadSeq: number }[]>`
    UPDATE "Membership" m SET "lastReadSeq" = LEAST(GREATEST(m."lastReadSeq", ${seq}), r."lastSeq")
    FROM "Room" r WHERE r.id = m."roomId" AND m."roomId" = ${roomId}::uuid AND m."userId" = ${actor.id}::uuid
    RETURNING m."lastReadSeq"`;
  const row = rows[0];
  if (!row) {
    await getRoomForViewer(actor, roomId); // 404 for hidden rooms
    throw new AppError("forbidden", "Only members have a read position");
  }
  return { roomId, lastReadSeq: row.lastReadSeq };
}

export async function setMuted(actor: Actor, input: unknown): Promise<{ roomId: string; muted: boolean }> {
  const { roomId, muted } = parseOrThrow(muteSchema, input);
  const { count } = await db().membership.updateMany({
    where: { roomId, userId: actor.id },
    data: { muted },
  });
  if (count === 0) {
    await getRoomForViewer(actor, roomId);
    throw new AppError("forbidden", "Only members can mute a room");
  }
  return { roomId, muted };
}

/** Ids of a room's members (no authorization: callers have checked access). */
export async function memberIds(roomId: string, limit = 5000): Promise<string[]> {
  const rows = await db().membership.findMany({ where: { roomId }, select: { userId: true }, take: limit });
  return rows.map((r) => r.userId);
}

/** Ids of the rooms a user belongs to (no authorization: it is the user's own list). */
export async function roomIdsOf(userId: string): Promise<string[]> {
  // A prepared statement: this runs on every socket handshake and presence change (docs/performance.md).
  const rows = await prepared<{ roomId: string }>(
    "beacon_room_ids_of",
    `SELECT "roomId"::text FROM "Membership" WHERE "userId" = $1::uuid`,
    [userId],
  );
  return rows.map((r) => r.roomId);
}

export async function listMembers(actor: Actor, roomId: unknown): Promise<MemberView[]> {
  const room = await getRoomForViewer(actor, roomId);
  const rows = await db().membership.findMany({
    // Deactivated people are not listed (nor offered for @mentions); their messages stay.
    where: { roomId: room.id, user: { deactivatedAt: null } },
    select: {
      role: true,
      user: {
        select: {
          id: true,
          username: true,
          displayName: true,
          avatarKey: true,
          avatarVersion: true,
          isBot: true,
        },
      },
    },
    orderBy: [{ role: "desc" }, { user: { username: "asc" } }],
    take: 1000,
  });
  return rows.map(({ role, user: { avatarKey, avatarVersion, isBot, ...user } }) => ({
    ...user,
    role,
    avatarUrl: avatarKey ? avatarUrl(user.id, avatarVersion) : null,
    ...(isBot ? { isBot: true } : {}),
  }));
}
