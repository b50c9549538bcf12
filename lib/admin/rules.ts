// Who may do what to whom in the admin console. Pure and client-safe: the console uses them to enable
// only allowed controls (with the reason for the others); the service enforces them.
import { canChangeRole, ROLE_LABELS, type Role } from "@/lib/workspace/roles";

/** Why `actor` may not deactivate or reactivate `target`, or null. */
export function deactivationRefusal(
  actor: { id: string; role: Role },
  target: { id: string; role: Role },
): string | null {
  if (actor.id === target.id) return "You cannot deactivate or reactivate your own account";
  if (actor.role !== "owner" && (target.role === "owner" || target.role === "admin"))
    return `Only an owner can deactivate or reactivate ${target.role === "owner" ? "an owner" : "an admin"}`;
  if (actor.role !== "owner" && actor.role !== "admin") return "Only admins can deactivate users";
  return null;
}

/** The role options an actor may pick for a target, each with why not when refused (the console's select). */
export function roleOptions(
  actor: { id: string; role: Role },
  target: { id: string; role: Role },
): { role: Role; label: string; refusal: string | null }[] {
  return (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({
    role,
    label: ROLE_LABELS[role],
    refusal: role === target.role ? null : canChangeRole(actor, target, role),
  }));
}

/** Why `actor` may not create a password reset link for `target`, or null. */
export function resetRefusal(
  actor: { id: string; role: Role },
  target: { id: string; role: Role },
): string | null {
  if (actor.role !== "owner" && actor.role !== "admin") return "Only admins can reset passwords";
  // A reset link skips the current-password check and its guess budget: a stolen admin session
  // must not be a way to take the admin's own account. Your own password changes in Settings.
  if (actor.id === target.id) return "Change your own password in Settings (it asks for the current one)";
  if (actor.role !== "owner" && (target.role === "owner" || target.role === "admin"))
    return "Only an owner can reset the password of an admin or an owner";
  return null;
}
