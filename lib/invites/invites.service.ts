// Invite links. Workspace invites (admins: a role to grant, rooms to join) and room invites (the
// room's owner and moderators, and workspace moderators and above, for a private room they are in).
// Redeeming is one conditional UPDATE in the transaction that creates the account or the
// memberships, so a link is never used more than its maxUses however many redeem it at once.
import { randomBytes } from "node:crypto";
import { recordAudit } from "@/lib/audit/audit.service";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { currentRole, requireRole } from "@/lib/workspace/access";
import { asRole, canModerateRoom, isAdmin, ROLE_LABELS } from "@/lib/workspace/roles";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import {
  createInviteSchema,
  expiryDate,
  INVALID_INVITE_MESSAGES,
  type InvalidReason,
  type InvitePreview,
  type InviteRole,
  type InviteRoom,
  type InviteStatus,
  type InviteView,
  inviteIdSchema,
  inviteTokenSchema,
  listInvitesSchema,
} from "./invites.schema";

type Tx = Prisma.TransactionClient;
type Actor = { id: string };

/** A redeemed invite: what it grants. */
export interface RedeemedInvite {
  id: string;
  kind: "workspace" | "room";
  role: InviteRole;
  roomIds: string[];
}

/**
 * Options for a transaction that redeems an invite: redeemers of one link take turns on its row, so
 * a burst of them queues for pool connections longer than Prisma's default 2 s wait.
 */
export const REDEEM_TX = { maxWait: 15_000, timeout: 15_000 } as const;

export function newInviteToken(): string {
  return randomBytes(24).toString("base64url");
}

function statusOf(
  row: { revokedAt: Date | null; expiresAt: Date | null; maxUses: number | null; uses: number },
  now = new Date(),
): InviteStatus {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt && row.expiresAt <= now) return "expired";
  if (row.maxUses !== null && row.uses >= row.maxUses) return "used_up";
  return "active";
}

export function invalidInvite(reason: InvalidReason): AppError {
  return new AppError(reason === "unknown" ? "not_found" : "forbidden", INVALID_INVITE_MESSAGES[reason]);
}

/** Why a token cannot be redeemed right now (after the conditional update matched nothing). */
async function whyInvalid(client: Pick<Tx, "invite">, token: string): Promise<InvalidReason> {
  const row = await client.invite.findUnique({
    where: { token },
    select: { revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  if (!row) return "unknown";
  const status = statusOf(row);
  // Active now but not a moment ago (a clock edge): the update saw it as used up or expired.
  return status === "active" ? "used_up" : status;
}

/**
 * Spend one use of the invite, inside the caller's transaction (the account or memberships it grants
 * are made in the same one: if they fail, the use is given back by the rollback). Throws a clear
 * error for an unknown, expired, used-up or revoked link.
 */
export async function redeemInvite(tx: Tx, token: unknown): Promise<RedeemedInvite> {
  const parsed = inviteTokenSchema.safeParse(token);
  if (!parsed.success) throw invalidInvite("unknown");
  const rows = await tx.$queryRaw<{ id: string; kind: string; role: string; roomIds: string[] }[]>`
    UPDATE "Invite" SET uses = uses + 1
    WHERE token = ${parsed.data} AND "revokedAt" IS NULL
      AND ("expiresAt" IS NULL OR "expiresAt" > now())
      AND ("maxUses" IS NULL OR uses < "maxUses")
    RETURNING id::text AS id, kind, role, "roomIds"::text[] AS "roomIds"`;
  const row = rows[0];
  if (!row) throw invalidInvite(await whyInvalid(tx, parsed.data));
  return {
    id: row.id,
    kind: row.kind === "room" ? "room" : "workspace",
    role: (["admin", "moderator", "member", "guest"] as const).find((r) => r === row.role) ?? "guest",
    roomIds: row.roomIds,
  };
}

/**
 * Adds the user to the rooms (channels that are not archived and that the user is not banned from),
 * read at the room's latest message. Returns the ids of the rooms they were not in before.
 */
export async function joinRoomsInTx(tx: Tx, userId: string, roomIds: string[]): Promise<string[]> {
  if (roomIds.length === 0) return [];
  const rooms = await tx.room.findMany({
    where: {
      id: { in: [...new Set(roomIds)] },
      kind: "channel",
      archivedAt: null,
      bans: { none: { userId } },
      memberships: { none: { userId } },
    },
    select: { id: true, lastSeq: true },
  });
  if (rooms.length === 0) return [];
  await tx.membership.createMany({
    data: rooms.map((r) => ({ roomId: r.id, userId, lastReadSeq: r.lastSeq })),
    skipDuplicates: true,
  });
  // The invite's order: the first room is where the invitee lands.
  return roomIds.filter((id, i) => roomIds.indexOf(id) === i && rooms.some((r) => r.id === id));
}

async function roomsByIds(ids: string[]): Promise<Map<string, InviteRoom>> {
  if (ids.length === 0) return new Map();
  const rows = await db().room.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, name: true, isPrivate: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Create a workspace invite (admins) or a room invite (whoever moderates that private room). */
export async function createInvite(actor: Actor, input: unknown): Promise<InviteView> {
  const data = parseOrThrow(createInviteSchema, input);
  const me = await currentRole(actor.id);
  let roomIds: string[];
  let role: InviteRole;
  if (data.kind === "workspace") {
    if (!isAdmin(me.role)) throw new AppError("forbidden", "Only admins can create workspace invites");
    role = data.role;
    roomIds = [...new Set(data.roomIds)];
    if (roomIds.length > 0) {
      // Public rooms, and private rooms the admin is in: an invite cannot open a room its maker cannot see.
      const ok = await db().room.count({
        where: {
          id: { in: roomIds },
          kind: "channel",
          archivedAt: null,
          OR: [{ isPrivate: false }, { memberships: { some: { userId: actor.id } } }],
        },
      });
      if (ok !== roomIds.length) {
        const message = "Pick rooms that exist, are not archived, and that you can see";
        throw new AppError("validation", message, { fields: { roomIds: [message] } });
      }
    }
  } else {
    const room = await db().room.findUnique({
      where: { id: data.roomId },
      select: {
        kind: true,
        isPrivate: true,
        archivedAt: true,
        ownerId: true,
        memberships: { where: { userId: actor.id }, select: { role: true } },
      },
    });
    const mine = room?.memberships[0];
    if (!room || (room.isPrivate && !mine))
      throw new AppError("not_found", "That room does not exist or you do not have access to it");
    if (room.kind !== "channel" || !room.isPrivate)
      throw new AppError("validation", "Invite links are for private rooms: anyone can join a public room");
    if (room.archivedAt) throw new AppError("validation", "This room is archived");
    const roomRole = mine?.role ?? null;
    if (
      !mine ||
      !canModerateRoom(me.role, roomRole === "owner" || room.ownerId === actor.id ? "owner" : roomRole)
    )
      throw new AppError("forbidden", "Only the room's owner and moderators can create invite links");
    role = "member";
    roomIds = [data.roomId];
  }
  const expiresAt = expiryDate(data.expiresIn);
  const created = await db().$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: {
        token: newInviteToken(),
        kind: data.kind,
        role,
        roomIds,
        createdById: actor.id,
        expiresAt,
        maxUses: data.maxUses,
      },
      select: { id: true },
    });
    await recordAudit(
      {
        actor: me,
        action: "invite.create",
        targetType: "invite",
        targetId: row.id,
        targetLabel: data.kind === "workspace" ? `workspace invite (${ROLE_LABELS[role]})` : "room invite",
        detail: {
          kind: data.kind,
          role,
          roomIds,
          expiresAt: expiresAt?.toISOString() ?? null,
          maxUses: data.maxUses,
        },
      },
      tx,
    );
    return row;
  });
  const [view] = await views({ id: created.id });
  if (!view) throw new Error("createInvite: the new invite is gone");
  return view;
}

async function views(where: Prisma.InviteWhereInput, take = 200): Promise<InviteView[]> {
  const rows = await db().invite.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      token: true,
      kind: true,
      role: true,
      roomIds: true,
      uses: true,
      maxUses: true,
      expiresAt: true,
      revokedAt: true,
      createdAt: true,
      createdBy: { select: { username: true, displayName: true } },
    },
  });
  const rooms = await roomsByIds(rows.flatMap((r) => r.roomIds));
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    token: r.token,
    kind: r.kind === "room" ? "room" : "workspace",
    role: asInviteRole(r.role),
    rooms: r.roomIds.flatMap((id) => rooms.get(id) ?? []),
    uses: r.uses,
    maxUses: r.maxUses,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    revokedAt: r.revokedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    createdBy: r.createdBy,
    status: statusOf(r, now),
  }));
}

function asInviteRole(v: string): InviteRole {
  return (["admin", "moderator", "member", "guest"] as const).find((r) => r === v) ?? "guest";
}

/** Whether the actor moderates this private room (may list and revoke its invites). */
async function moderatesRoom(actorId: string, roomId: string): Promise<boolean> {
  const me = await currentRole(actorId);
  const room = await db().room.findUnique({
    where: { id: roomId },
    select: { ownerId: true, memberships: { where: { userId: actorId }, select: { role: true } } },
  });
  const mine = room?.memberships[0];
  if (!room || !mine) return false;
  return canModerateRoom(me.role, room.ownerId === actorId ? "owner" : mine.role);
}

/** Admins: every invite (newest first). With roomId: that room's invites, for whoever moderates it. */
export async function listInvites(actor: Actor, input: unknown = {}): Promise<InviteView[]> {
  const { roomId } = parseOrThrow(listInvitesSchema, input);
  if (roomId) {
    if (!(await moderatesRoom(actor.id, roomId)))
      throw new AppError("not_found", "That room does not exist or you do not have access to it");
    return views({ kind: "room", roomIds: { has: roomId } }, 50);
  }
  await requireRole(actor.id, "admin", { hide: true });
  return views({});
}

/** Revoke: admins any invite; a room invite also its room's moderators. Revoking twice is a no-op. */
export async function revokeInvite(actor: Actor, inviteId: unknown): Promise<InviteView> {
  const id = inviteIdSchema.safeParse(inviteId);
  const notFound = () => new AppError("not_found", "That invite does not exist");
  if (!id.success) throw notFound();
  const me = await currentRole(actor.id);
  const invite = await db().invite.findUnique({
    where: { id: id.data },
    select: { id: true, kind: true, roomIds: true, revokedAt: true },
  });
  if (!invite) throw notFound();
  const roomId = invite.kind === "room" ? invite.roomIds[0] : undefined;
  const allowed = isAdmin(me.role) || (roomId !== undefined && (await moderatesRoom(actor.id, roomId)));
  if (!allowed) throw notFound();
  if (!invite.revokedAt) {
    await db().$transaction(async (tx) => {
      const { count } = await tx.invite.updateMany({
        where: { id: invite.id, revokedAt: null },
        data: { revokedAt: new Date() },
      });
      if (count === 0) return;
      await recordAudit(
        {
          actor: me,
          action: "invite.revoke",
          targetType: "invite",
          targetId: invite.id,
          targetLabel: `${invite.kind} invite`,
        },
        tx,
      );
    });
  }
  const [view] = await views({ id: invite.id });
  if (!view) throw notFound();
  return view;
}

/** Public: what a link grants, or why it does not work (no sign-in needed; the token is the secret). */
export async function previewInvite(token: unknown): Promise<InvitePreview> {
  const parsed = inviteTokenSchema.safeParse(token);
  const invalid = (reason: InvalidReason): InvitePreview => ({
    valid: false,
    reason,
    message: INVALID_INVITE_MESSAGES[reason],
  });
  if (!parsed.success) return invalid("unknown");
  const row = await db().invite.findUnique({
    where: { token: parsed.data },
    select: {
      kind: true,
      role: true,
      roomIds: true,
      revokedAt: true,
      expiresAt: true,
      maxUses: true,
      uses: true,
      createdBy: { select: { displayName: true } },
    },
  });
  if (!row) return invalid("unknown");
  const status = statusOf(row);
  if (status !== "active") return invalid(status);
  const rooms = await roomsByIds(row.roomIds);
  const role = row.kind === "room" ? "member" : asInviteRole(row.role);
  return {
    valid: true,
    workspaceName: (await getWorkspaceSettings()).name,
    kind: row.kind === "room" ? "room" : "workspace",
    role,
    roleLabel: ROLE_LABELS[role],
    rooms: row.roomIds.flatMap((id) => rooms.get(id) ?? []),
    invitedBy: row.createdBy.displayName,
  };
}

/**
 * A signed-in user accepts a link: they join its rooms (never a room they are banned from). Their
 * workspace role never changes (a guest-role invite cannot lower it, and no link raises it).
 * Returns the rooms they were added to (for the live grant) and where to land.
 */
export async function acceptInvite(
  actor: Actor,
  token: unknown,
): Promise<{ joinedRoomIds: string[]; landingRoomId: string | null }> {
  await currentRole(actor.id); // a deactivated account accepts nothing
  const parsed = inviteTokenSchema.safeParse(token);
  if (!parsed.success) throw invalidInvite("unknown");
  const peek = await db().invite.findUnique({
    where: { token: parsed.data },
    select: { roomIds: true, revokedAt: true, expiresAt: true, maxUses: true, uses: true },
  });
  if (!peek) throw invalidInvite("unknown");
  const status = statusOf(peek);
  if (status !== "active") throw invalidInvite(status);
  // Already in every room of the link (or it has none): nothing to spend a use on. An existing
  // account keeps its role, so a workspace invite without rooms gives it nothing.
  const distinct = new Set(peek.roomIds);
  const mine = distinct.size
    ? await db().membership.count({ where: { userId: actor.id, roomId: { in: [...distinct] } } })
    : 0;
  if (mine === distinct.size) return { joinedRoomIds: [], landingRoomId: peek.roomIds[0] ?? null };
  return db().$transaction(async (tx) => {
    const invite = await redeemInvite(tx, parsed.data);
    if (invite.kind === "room") {
      const roomId = invite.roomIds[0];
      const banned = roomId
        ? await tx.roomBan.findUnique({
            where: { roomId_userId: { roomId, userId: actor.id } },
            select: { userId: true },
          })
        : null;
      if (banned)
        throw new AppError("forbidden", "You are banned from this room, so this invite cannot add you");
    }
    const joined = await joinRoomsInTx(tx, actor.id, invite.roomIds);
    // Where to land: the first room of the link the user is now in (banned or archived ones are skipped).
    const inRooms = await tx.membership.findMany({
      where: { userId: actor.id, roomId: { in: invite.roomIds } },
      select: { roomId: true },
    });
    const landingRoomId = invite.roomIds.find((id) => inRooms.some((m) => m.roomId === id)) ?? null;
    if (invite.roomIds.length > 0 && !landingRoomId && invite.kind === "room")
      throw new AppError("validation", "The room of this invite is no longer available");
    return { joinedRoomIds: joined, landingRoomId };
  }, REDEEM_TX);
}

/** For the audit entry of a sign-up through an invite (the new account is the actor). */
export async function auditInviteSignUp(
  tx: Tx,
  user: { id: string; username: string },
  invite: RedeemedInvite,
  role: string,
  joined: string[],
): Promise<void> {
  await recordAudit(
    {
      actor: user,
      action: "invite.accept",
      targetType: "invite",
      targetId: invite.id,
      targetLabel: `${invite.kind} invite`,
      detail: { role: asRole(role), roomIds: joined, signUp: true },
    },
    tx,
  );
}

/** Rooms an admin may put in a workspace invite: public rooms and private rooms they are in. */
export async function invitableRooms(actor: Actor): Promise<InviteRoom[]> {
  await requireRole(actor.id, "admin", { hide: true });
  return db().room.findMany({
    where: {
      kind: "channel",
      archivedAt: null,
      OR: [{ isPrivate: false }, { memberships: { some: { userId: actor.id } } }],
    },
    select: { id: true, name: true, isPrivate: true },
    orderBy: { nameKey: "asc" },
    take: 500,
  });
}
