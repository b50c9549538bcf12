// What an OAuth/OIDC sign-in's claims mean to Beacon: the identity, the profile, the groups, and
// what the groups decide (access, admin role). Pure functions: lib/auth/oidc.ts and
// lib/auth/oauth-sign-in.ts apply them; tests/oidc-claims.test.ts pins them down.
import { atLeast, type Role } from "@/lib/workspace/roles";

export type Claims = Record<string, unknown>;

/** The parts of a profile Beacon keeps. `id` is the provider's subject: the identity, never an e-mail. */
export interface OAuthProfile {
  id: string;
  username?: string;
  name?: string;
  email?: string;
  groups: string[];
}

function text(v: unknown): string | undefined {
  if (typeof v === "number") return String(v);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

/** True when the ID token already names the person; otherwise /userinfo must be read. */
export function hasProfileClaims(claims: Claims): boolean {
  return text(claims.preferred_username) !== undefined || text(claims.name) !== undefined;
}

/**
 * The ID token's claims completed by /userinfo's. The ID token wins where both say something, and
 * a /userinfo answer about another subject is refused (OIDC Core 5.3.2: its `sub` must match).
 */
export function mergeUserinfo(idToken: Claims, userinfo: Claims): Claims {
  if (text(userinfo.sub) !== text(idToken.sub)) throw new Error("userinfo sub does not match the ID token");
  const out: Claims = { ...userinfo };
  for (const [k, v] of Object.entries(idToken)) if (v !== undefined && v !== null) out[k] = v;
  return out;
}

/** The issuer the provider's discovery document names must be the one configured (trailing `/` aside). */
export function sameIssuer(configured: string, discovered: string | undefined): boolean {
  const norm = (s: string) => s.trim().replace(/\/+$/, "");
  return discovered !== undefined && norm(configured) === norm(discovered);
}

/** Reads a claim by name, or by a dotted path (`realm_access.roles`) when no claim has that exact name. */
function claimAt(claims: Claims, name: string): unknown {
  if (Object.hasOwn(claims, name)) return claims[name];
  let at: unknown = claims;
  for (const part of name.split(".")) {
    if (!at || typeof at !== "object" || !Object.hasOwn(at, part)) return undefined;
    at = (at as Claims)[part];
  }
  return at;
}

/** The groups claim as a list: an array of names, or one string of comma/space separated names. */
export function groupsFromClaims(claims: Claims, claimName = "groups"): string[] {
  const raw = claimAt(claims, claimName);
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[,\s]+/) : [];
  return [...new Set(list.map(text).filter((g): g is string => g !== undefined))];
}

/**
 * Beacon's profile from a provider's claims. GitHub says `login`, OIDC says `preferred_username`;
 * Keycloak and Authentik groups may be full paths (`/beacon/admins`): compare them as configured.
 */
export function profileFromClaims(claims: Claims, groupsClaim = "groups"): OAuthProfile {
  const id = text(claims.sub) ?? text(claims.id);
  if (!id) throw new Error("the provider sent no subject (sub)");
  return {
    id,
    username: text(claims.preferred_username) ?? text(claims.login),
    name: text(claims.name),
    email: text(claims.email),
    groups: groupsFromClaims(claims, groupsClaim),
  };
}

export interface GroupRules {
  allowed: string[];
  admin: string[];
}

export interface GroupDecision {
  allowed: boolean;
  /** true: make admin; false: an admin by group no longer (demote to member); null: groups do not manage the role. */
  admin: boolean | null;
}

/** What the groups decide. Admin groups also give access: an admin is never locked out by the allow list. */
export function decideGroups(groups: string[], rules: GroupRules): GroupDecision {
  const has = (list: string[]) => list.some((g) => groups.includes(g));
  const admin = rules.admin.length > 0 ? has(rules.admin) : null;
  const allowed = rules.allowed.length === 0 || has(rules.allowed) || admin === true;
  return { allowed, admin };
}

/** The role after a sign-in: admin groups promote to admin and demote admins who left; owners are never touched. */
export function roleAfterSignIn(current: Role, decision: GroupDecision): Role {
  if (current === "owner" || decision.admin === null) return current;
  if (decision.admin) return atLeast(current, "admin") ? current : "admin";
  return current === "admin" ? "member" : current;
}

/** A free username to suggest: the wanted one's letters, then numbered (`alice`, `alice2`, `alice3`, …). */
export function usernameCandidates(wanted: string, count = 20): string[] {
  const base = wanted.slice(0, 28);
  return [base, ...Array.from({ length: count - 1 }, (_, i) => `${base}${i + 2}`)];
}

/** A username from what the provider says: lower-case, only a-z 0-9 _ . -, 3–24 long (`user…` otherwise). */
export function baseUsername(profile: Pick<OAuthProfile, "username" | "email" | "name">): string {
  const raw = profile.username ?? profile.email?.split("@")[0] ?? profile.name ?? "";
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "")
    .slice(0, 24);
  return cleaned.length >= 3 ? cleaned : `user${cleaned}`;
}
