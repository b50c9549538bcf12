// Workspace roles and what each may do. Pure functions, no server imports: the services enforce
// them and the UI uses them to decide which controls to show (the services are the authority).

export const ROLES = ["owner", "admin", "moderator", "member", "guest"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { guest: 0, member: 1, moderator: 2, admin: 3, owner: 4 };

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

/** An unknown stored value counts as the least privileged role. */
export function asRole(v: unknown): Role {
  return isRole(v) ? v : "guest";
}

/** True when `role` is `min` or above it. */
export function atLeast(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  moderator: "Moderator",
  member: "Member",
  guest: "Guest",
};

/** Admin console, workspace settings, invites, users. */
export const isAdmin = (role: Role) => atLeast(role, "admin");
/** Moderates every room (as if a room moderator in each). */
export const isWorkspaceModerator = (role: Role) => atLeast(role, "moderator");
/** Guests see only rooms they were added to: no Browse, no new rooms, no new DMs. */
export const isGuest = (role: Role) => role === "guest";

/**
 * May `actor` give `target` the role `to`? Returns why not, or null. Only admins change roles; only
 * owners grant or take away owner (admins cannot demote owners). People may lower their own role.
 * "The last owner cannot be demoted" needs the database: the service checks it in the update itself,
 * which is what makes it hold under races.
 */
export function canChangeRole(
  actor: { id: string; role: Role },
  target: { id: string; role: Role },
  to: Role,
): string | null {
  if (!isAdmin(actor.role)) return "Only admins can change roles";
  if ((target.role === "owner" || to === "owner") && actor.role !== "owner")
    return "Only an owner can make someone an owner or change an owner's role";
  // Otherwise an admin could demote a fellow admin, reset their password and take the account.
  if (target.role === "admin" && actor.role !== "owner" && actor.id !== target.id)
    return "Only an owner can change another admin's role";
  return null;
}

/** Room-level moderation: the room's owner and moderators, and workspace moderators and above. */
export function canModerateRoom(workspaceRole: Role, roomRole: string | null | undefined): boolean {
  return isWorkspaceModerator(workspaceRole) || roomRole === "owner" || roomRole === "moderator";
}
