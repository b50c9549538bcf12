// The admin console's user actions: change a role, deactivate, reactivate; and the console's lists
// (users, rooms, audit log). Every change is audited in its own transaction. The callers (route
// handlers, the CLI) do the live part afterwards: account:updated to the user's tabs, closing a
// deactivated user's sockets (services never see Socket.IO).
//
// Owners: the workspace must always keep one active owner. Role changes and deactivations that could
// take away an owner run under one transaction-scoped advisory lock, and the UPDATE itself refuses to
// touch the last active owner, so two owners demoting each other at the same moment leave one owner.
import { recordAudit } from "@/lib/audit/audit.service";
import { passBotsOnDeactivation } from "@/lib/bots/bots.service";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { escapeLike } from "@/lib/text";
import { issueResetToken } from "@/lib/users/password-reset.service";
import { requireRole } from "@/lib/workspace/access";
import { asRole, canChangeRole, type Role } from "@/lib/workspace/roles";
import {
  type AdminRoom,
  type AdminUser,
  type AuditRow,
  listAuditSchema,
  listRoomsSchema,
  listUsersSchema,
  roleSchema,
  userIdSchema,
} from "./admin.schema";
import { deactivationRefusal, resetRefusal } from "./rules";

/** The operator at the command line (npm run admin): has the machine, so no role checks; audited as such. */
export const COMMAND_LINE = { commandLine: true } as const;
export type AdminActor = { id: string } | typeof COMMAND_LINE;

interface Acting {
  /** null: the command line */
  audit: { id: string; username: string } | null;
  /** The actor's role, read under the lock (owner for the command line). */
  role: Role;
  id: string | null;
}

const OWNERS_LOCK = "beacon:workspace-owners";
export const LAST_OWNER_MESSAGE =
  "The workspace must keep at least one active owner: make someone else an owner first";

type Tx = Prisma.TransactionClient;

interface TargetRow {
  id: string;
  username: string;
  displayName: string;
  role: string;
  deactivatedAt: Date | null;
  createdAt: Date;
  isBot: boolean;
}

function toAdminUser(row: TargetRow): AdminUser {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: asRole(row.role),
    deactivated: row.deactivatedAt !== null,
    createdAt: row.createdAt.toISOString(),
    ...(row.isBot ? { isBot: true } : {}),
  };
}

/** Admins only (404 for everyone else: the console does not exist for them). */
export async function requireAdmin(actor: { id: string }) {
  return requireRole(actor.id, "admin", { hide: true });
}

/**
 * Inside the transaction, after the owners lock: the actor as they are now (a concurrent demotion of
 * the actor counts) and the target row, locked.
 */
async function begin(
  tx: Tx,
  actor: AdminActor,
  userId: string,
): Promise<{ acting: Acting; target: TargetRow }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${OWNERS_LOCK}))`;
  let acting: Acting;
  if ("commandLine" in actor) {
    acting = { audit: null, role: "owner", id: null };
  } else {
    const [me] = await tx.$queryRaw<{ id: string; username: string; role: string; active: boolean }[]>`
      SELECT id::text, username, role, "deactivatedAt" IS NULL AS active FROM "User" WHERE id = ${actor.id}::uuid`;
    if (!me?.active) throw new AppError("unauthorized", "Sign in to continue");
    const role = asRole(me.role);
    if (role !== "owner" && role !== "admin") throw new AppError("not_found", "Not found");
    acting = { audit: { id: me.id, username: me.username }, role, id: me.id };
  }
  const [target] = await tx.$queryRaw<TargetRow[]>`
    SELECT id::text, username, "displayName", role, "deactivatedAt", "createdAt", "isBot"
    FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
  if (!target) throw new AppError("not_found", "There is no such user");
  return { acting, target };
}

/**
 * The guarded update: it changes nothing when the target is the last active owner and the change
 * would take that away (`keepsOwner` false). Returns the row, or throws the last-owner conflict.
 */
async function guardedUpdate(
  tx: Tx,
  userId: string,
  set: { role?: Role; deactivate?: boolean; reactivate?: boolean },
  keepsOwner: boolean,
): Promise<TargetRow> {
  const role = set.role ?? null;
  const rows = await tx.$queryRaw<TargetRow[]>`
    UPDATE "User" SET
      role = COALESCE(${role}::text, role),
      "deactivatedAt" = CASE WHEN ${set.deactivate === true} THEN now()
                             WHEN ${set.reactivate === true} THEN NULL
                             ELSE "deactivatedAt" END,
      "sessionVersion" = "sessionVersion" + CASE WHEN ${set.deactivate === true} THEN 1 ELSE 0 END
    WHERE id = ${userId}::uuid
      AND (${keepsOwner} OR NOT (
        role = 'owner' AND "deactivatedAt" IS NULL
        AND (SELECT count(*) FROM "User" WHERE role = 'owner' AND "deactivatedAt" IS NULL) <= 1))
    RETURNING id::text, username, "displayName", role, "deactivatedAt", "createdAt", "isBot"`;
  const [row] = rows;
  if (!row) throw new AppError("conflict", LAST_OWNER_MESSAGE);
  return row;
}

function runLocked<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db().$transaction(fn, { timeout: 15_000, maxWait: 15_000 });
}

export interface RoleChange {
  user: AdminUser;
  /** False when the user already had that role (nothing stored, nothing to announce). */
  changed: boolean;
}

/** Give a user a workspace role (rules: canChangeRole in lib/workspace/roles.ts, and the last owner). */
export async function changeRole(
  actor: AdminActor,
  userIdInput: unknown,
  roleInput: unknown,
): Promise<RoleChange> {
  if (!("commandLine" in actor)) await requireAdmin(actor);
  const userId = parseOrThrow(userIdSchema, userIdInput);
  const role = parseOrThrow(roleSchema, roleInput);
  return runLocked(async (tx) => {
    const { acting, target } = await begin(tx, actor, userId);
    const from = asRole(target.role);
    if (acting.id !== null) {
      const why = canChangeRole({ id: acting.id, role: acting.role }, { id: target.id, role: from }, role);
      if (why) throw new AppError("forbidden", why);
    }
    if (from === role) return { user: toAdminUser(target), changed: false };
    const row = await guardedUpdate(tx, userId, { role }, role === "owner");
    await recordAudit(
      {
        actor: acting.audit,
        action: "user.role",
        targetType: "user",
        targetId: row.id,
        targetLabel: `@${row.username}`,
        detail: { from, to: role },
      },
      tx,
    );
    return { user: toAdminUser(row), changed: true };
  });
}

/**
 * Deactivate: no sign-in, every session ends (sessionVersion bump; the session read also refuses
 * deactivated accounts). The caller closes the user's sockets. Messages stay.
 */
export async function deactivateUser(actor: AdminActor, userIdInput: unknown): Promise<RoleChange> {
  return setActive(actor, userIdInput, false);
}

/** Reactivate: sign-in works again (old sessions stay ended). */
export async function reactivateUser(actor: AdminActor, userIdInput: unknown): Promise<RoleChange> {
  return setActive(actor, userIdInput, true);
}

async function setActive(actor: AdminActor, userIdInput: unknown, active: boolean): Promise<RoleChange> {
  if (!("commandLine" in actor)) await requireAdmin(actor);
  const userId = parseOrThrow(userIdSchema, userIdInput);
  return runLocked(async (tx) => {
    const { acting, target } = await begin(tx, actor, userId);
    if (acting.id !== null) {
      const why = deactivationRefusal(
        { id: acting.id, role: acting.role },
        { id: target.id, role: asRole(target.role) },
      );
      if (why) throw new AppError("forbidden", why);
    }
    if ((target.deactivatedAt === null) === active) return { user: toAdminUser(target), changed: false };
    const row = await guardedUpdate(tx, userId, active ? { reactivate: true } : { deactivate: true }, active);
    // Their bots keep working: they pass to the acting admin (or the oldest owner), audited.
    if (!active) await passBotsOnDeactivation(tx, row, acting.audit, acting.audit);
    await recordAudit(
      {
        actor: acting.audit,
        action: active ? "user.reactivate" : "user.deactivate",
        targetType: "user",
        targetId: row.id,
        targetLabel: `@${row.username}`,
      },
      tx,
    );
    return { user: toAdminUser(row), changed: true };
  });
}

/** One user, for the console (admins only). */
export async function getAdminUser(actor: { id: string }, userIdInput: unknown): Promise<AdminUser> {
  await requireAdmin(actor);
  const id = parseOrThrow(userIdSchema, userIdInput);
  const row = await db().user.findUnique({ where: { id }, select: adminUserSelect });
  if (!row) throw new AppError("not_found", "There is no such user");
  return toAdminUser(row);
}

const adminUserSelect = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  deactivatedAt: true,
  createdAt: true,
  isBot: true,
} as const;

/** Users by username, searched by username or display name prefix; deactivated ones included. */
export async function listUsers(
  actor: AdminActor,
  input: unknown,
): Promise<{ users: AdminUser[]; next: string | null }> {
  if (!("commandLine" in actor)) await requireAdmin(actor);
  const { q, after, limit } = parseOrThrow(listUsersSchema, input);
  const term = escapeLike((q ?? "").trim().slice(0, 64));
  const rows = await db().user.findMany({
    where: {
      ...(term
        ? {
            OR: [
              { username: { contains: term.toLowerCase() } },
              { displayName: { contains: term, mode: "insensitive" } },
            ],
          }
        : {}),
      ...(after ? { username: { gt: after } } : {}),
    },
    select: adminUserSelect,
    orderBy: { username: "asc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map(toAdminUser);
  return { users: page, next: rows.length > limit ? (page.at(-1)?.username ?? null) : null };
}

/** Every channel (public and private) by name and member count, never its messages. DMs are not listed. */
export async function listRooms(
  actor: { id: string },
  input: unknown,
): Promise<{ rooms: AdminRoom[]; total: number; offset: number; limit: number }> {
  await requireAdmin(actor);
  const { q, offset, limit } = parseOrThrow(listRoomsSchema, input);
  const term = escapeLike((q ?? "").trim().slice(0, 64));
  const where: Prisma.RoomWhereInput = {
    kind: "channel",
    ...(term ? { name: { contains: term, mode: "insensitive" } } : {}),
  };
  const [rows, total] = await Promise.all([
    db().room.findMany({
      where,
      select: {
        id: true,
        name: true,
        kind: true,
        isPrivate: true,
        createdAt: true,
        archivedAt: true,
        _count: { select: { memberships: true } },
      },
      orderBy: [{ nameKey: "asc" }, { id: "asc" }],
      skip: offset,
      take: limit,
    }),
    db().room.count({ where }),
  ]);
  return {
    rooms: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind === "dm" ? "dm" : "channel",
      isPrivate: r.isPrivate,
      members: r._count.memberships,
      createdAt: r.createdAt.toISOString(),
      archived: r.archivedAt !== null,
    })),
    total,
    offset,
    limit,
  };
}

/** The audit log, newest first, keyset-paged by id. Read-only: there is no way to change it. */
export async function listAudit(
  actor: { id: string },
  input: unknown,
): Promise<{ entries: AuditRow[]; before: string | null }> {
  await requireAdmin(actor);
  const { before, action, limit } = parseOrThrow(listAuditSchema, input);
  const rows = await db().auditLog.findMany({
    where: {
      ...(before ? { id: { lt: BigInt(before) } } : {}),
      ...(action ? { action: { startsWith: action } } : {}),
    },
    orderBy: { id: "desc" },
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id.toString(),
    createdAt: r.createdAt.toISOString(),
    actorName: r.actorName,
    action: r.action,
    targetType: r.targetType,
    targetLabel: r.targetLabel,
    detail: (r.detail && typeof r.detail === "object" && !Array.isArray(r.detail) ? r.detail : {}) as Record<
      string,
      unknown
    >,
  }));
  return { entries: page, before: rows.length > limit ? (page.at(-1)?.id ?? null) : null };
}

/**
 * A one-time reset link for a user (valid 1 hour; an older unused one stops working). Returns the
 * token once; the caller builds the URL. Admins may reset members; only owners reset admins and owners.
 */
export async function createResetLink(
  actor: AdminActor,
  userIdInput: unknown,
): Promise<{ token: string; expiresAt: string; user: AdminUser }> {
  if (!("commandLine" in actor)) await requireAdmin(actor);
  const userId = parseOrThrow(userIdSchema, userIdInput);
  return runLocked(async (tx) => {
    const { acting, target } = await begin(tx, actor, userId);
    // A bot has no password and must never get one: it acts with API tokens only.
    if (target.isBot)
      throw new AppError("forbidden", "Bots do not sign in with a password: give them an API token instead");
    if (acting.id !== null) {
      const why = resetRefusal(
        { id: acting.id, role: acting.role },
        { id: target.id, role: asRole(target.role) },
      );
      if (why) throw new AppError("forbidden", why);
    }
    const { token, expiresAt } = await issueResetToken(tx, target.id, acting.id);
    await recordAudit(
      {
        actor: acting.audit,
        action: "user.reset_link",
        targetType: "user",
        targetId: target.id,
        targetLabel: `@${target.username}`,
        detail: { expiresAt: expiresAt.toISOString() },
      },
      tx,
    );
    return { token, expiresAt: expiresAt.toISOString(), user: toAdminUser(target) };
  });
}

/** The console overview's numbers. */
export async function adminOverview(actor: {
  id: string;
}): Promise<{ users: number; deactivated: number; rooms: number }> {
  await requireAdmin(actor);
  const [users, deactivated, rooms] = await Promise.all([
    db().user.count(),
    db().user.count({ where: { deactivatedAt: { not: null } } }),
    db().room.count({ where: { kind: "channel" } }),
  ]);
  return { users, deactivated, rooms };
}

/** Public, unarchived channels: what the settings tab offers as default rooms. */
export async function defaultRoomChoices(actor: { id: string }): Promise<{ id: string; name: string }[]> {
  await requireAdmin(actor);
  return db().room.findMany({
    where: { kind: "channel", isPrivate: false, archivedAt: null },
    select: { id: true, name: true },
    orderBy: { nameKey: "asc" },
    take: 500,
  });
}

/** For the command line: a user by exact username, deactivated or not. */
export async function findUserForCommandLine(username: string): Promise<AdminUser | null> {
  const row = await db().user.findUnique({
    where: { username: username.trim().toLowerCase() },
    select: adminUserSelect,
  });
  return row ? toAdminUser(row) : null;
}
