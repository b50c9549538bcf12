// The acting user's workspace role, read from the database when a decision depends on it. Sockets
// keep the role of their handshake (SessionUser.role), and a role can change while they are open:
// services never trust a cached role for a privileged action.
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { asRole, atLeast, type Role } from "./roles";

export interface RoleOf {
  id: string;
  role: Role;
  username: string;
  displayName: string;
}

/** The actor's current role; `unauthorized` when the account is gone or deactivated. */
export async function currentRole(actorId: string): Promise<RoleOf> {
  const row = await db().user.findUnique({
    where: { id: actorId },
    select: { id: true, role: true, username: true, displayName: true, deactivatedAt: true },
  });
  if (!row || row.deactivatedAt) throw new AppError("unauthorized", "Sign in to continue");
  return { id: row.id, role: asRole(row.role), username: row.username, displayName: row.displayName };
}

/**
 * The actor, if their role is `min` or above. Below it: `not_found` when `hide` (pages and routes
 * that must not reveal they exist, such as the admin console), else `forbidden` with `message`.
 */
export async function requireRole(
  actorId: string,
  min: Role,
  opts: { hide?: boolean; message?: string } = {},
): Promise<RoleOf> {
  const actor = await currentRole(actorId);
  if (atLeast(actor.role, min)) return actor;
  if (opts.hide) throw new AppError("not_found", "Not found");
  throw new AppError("forbidden", opts.message ?? "You do not have permission to do that");
}
