// Rooms and memberships. Every function takes the acting user and authorizes before touching data:
// a private room is invisible (404, never 403) to anyone who is not a member.
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";
import { getUserByUsername } from "@/lib/users/users.service";
import {
  addMemberSchema,
  createRoomSchema,
  type MemberView,
  type RoomSummary,
  type RoomView,
  roomIdSchema,
} from "./rooms.schema";

type Actor = Pick<SessionUser, "id">;

const notFound = () => new AppError("not_found", "That room does not exist or you do not have access to it");

export function roomNameKey(name: string): string {
  return name.normalize("NFKC").trim().toLowerCase();
}

const summarySelect = {
  id: true,
  name: true,
  topic: true,
  isPrivate: true,
  ownerId: true,
  lastSeq: true,
  _count: { select: { memberships: true } },
} as const;

function toSummary(r: {
  id: string;
  name: string;
  topic: string;
  isPrivate: boolean;
  ownerId: string;
  lastSeq: number;
  _count: { memberships: number };
}): RoomSummary {
  return {
    id: r.id,
    name: r.name,
    topic: r.topic,
    isPrivate: r.isPrivate,
    ownerId: r.ownerId,
    lastSeq: r.lastSeq,
    memberCount: r._count.memberships,
  };
}

export async function createRoom(actor: Actor, input: unknown): Promise<RoomView> {
  const data = parseOrThrow(createRoomSchema, input);
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
    return { ...toSummary(room), isMember: true, isOwner: true };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const message = "A room with that name already exists";
      throw new AppError("conflict", message, { fields: { name: [message] } });
    }
    throw err;
  }
}

/** Rooms the actor belongs to, for the sidebar. */
export async function listMyRooms(actor: Actor): Promise<RoomSummary[]> {
  const rooms = await db().room.findMany({
    where: { memberships: { some: { userId: actor.id } } },
    select: summarySelect,
    orderBy: { nameKey: "asc" },
  });
  return rooms.map(toSummary);
}

/** Public rooms with member counts, for the browse view. */
export async function listPublicRooms(
  actor: Actor,
  query = "",
): Promise<(RoomSummary & { isMember: boolean })[]> {
  const q = roomNameKey(query.slice(0, 64));
  const rooms = await db().room.findMany({
    where: { isPrivate: false, ...(q ? { nameKey: { contains: q } } : {}) },
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
  if (!id.success) throw notFound();
  const room = await db().room.findUnique({
    where: { id: id.data },
    select: { ...summarySelect, memberships: { where: { userId: actor.id }, select: { role: true } } },
  });
  if (!room) throw notFound();
  const isMember = room.memberships.length > 0;
  if (room.isPrivate && !isMember) throw notFound();
  return { ...toSummary(room), isMember, isOwner: room.ownerId === actor.id };
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
  if (room.isPrivate) throw notFound();
  await db()
    .membership.create({ data: { roomId: room.id, userId: actor.id } })
    .catch((err) => {
      if (!isUniqueViolation(err)) throw err; // joined twice at once: fine
    });
  return getRoomForViewer(actor, room.id);
}

/** Leave a room. A private room becomes invisible to the leaver (the caller revokes live access). */
export async function leaveRoom(actor: Actor, roomId: unknown): Promise<RoomView> {
  const room = await getRoomForViewer(actor, roomId);
  if (room.isMember) await db().membership.deleteMany({ where: { roomId: room.id, userId: actor.id } });
  return { ...room, isMember: false, memberCount: room.memberCount - (room.isMember ? 1 : 0) };
}

/** The owner adds someone by username (the way into a private room). */
export async function addMember(actor: Actor, roomId: unknown, input: unknown): Promise<MemberView> {
  const room = await getRoomForViewer(actor, roomId);
  const { username } = parseOrThrow(addMemberSchema, input);
  if (!room.isOwner) throw new AppError("forbidden", "Only the room owner can add members");
  const user = await getUserByUsername(username);
  if (!user) {
    const message = `No user named @${username}`;
    throw new AppError("not_found", message, { fields: { username: [message] } });
  }
  const membership = await db().membership.upsert({
    where: { roomId_userId: { roomId: room.id, userId: user.id } },
    create: { roomId: room.id, userId: user.id },
    update: {},
    select: { role: true },
  });
  return { ...user, role: membership.role };
}

/** Ids of a room's members (no authorization: callers have checked access). */
export async function memberIds(roomId: string, limit = 5000): Promise<string[]> {
  const rows = await db().membership.findMany({ where: { roomId }, select: { userId: true }, take: limit });
  return rows.map((r) => r.userId);
}

/** Ids of the rooms a user belongs to (no authorization: it is the user's own list). */
export async function roomIdsOf(userId: string): Promise<string[]> {
  const rows = await db().membership.findMany({ where: { userId }, select: { roomId: true } });
  return rows.map((r) => r.roomId);
}

export async function listMembers(actor: Actor, roomId: unknown): Promise<MemberView[]> {
  const room = await getRoomForViewer(actor, roomId);
  const rows = await db().membership.findMany({
    where: { roomId: room.id },
    select: { role: true, user: { select: { id: true, username: true, displayName: true } } },
    orderBy: [{ role: "desc" }, { user: { username: "asc" } }],
    take: 1000,
  });
  return rows.map((r) => ({ ...r.user, role: r.role }));
}
