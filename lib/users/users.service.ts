// Accounts: sign-up, credential checks, OAuth account linking, lookups.
import { z } from "zod";
import { db, isUniqueViolation, prepared } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { avatarUrl } from "@/lib/files/files.schema";
import { limits } from "@/lib/ratelimit/limits";
import { sessionIdSchema } from "@/lib/sessions/sessions.schema";
import { escapeLike, filterTextSchema } from "@/lib/text";
import { dummyHash, hashPassword, verifyPassword } from "@/lib/users/password";
import { asRole } from "@/lib/workspace/roles";
import {
  changePasswordSchema,
  type PublicUser,
  type SessionUser,
  signInSchema,
  signUpSchema,
  usernameSchema,
} from "./users.schema";

const publicFields = { id: true, username: true, displayName: true } as const;

export async function signUp(input: unknown): Promise<PublicUser> {
  const data = parseOrThrow(signUpSchema, input);
  const existing = await db().user.findUnique({ where: { username: data.username }, select: { id: true } });
  if (existing) {
    throw new AppError("conflict", "That username is taken", {
      fields: { username: ["That username is taken"] },
    });
  }
  const passwordHash = await hashPassword(data.password);
  try {
    return await db().user.create({
      data: { username: data.username, displayName: data.displayName, passwordHash },
      select: publicFields,
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new AppError("conflict", "That username is taken", {
        fields: { username: ["That username is taken"] },
      });
    }
    throw err;
  }
}

/** Returns the user for a correct username + password, otherwise null (same work either way). */
export async function verifyCredentials(
  input: unknown,
): Promise<(PublicUser & { sessionVersion: number }) | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await db().user.findUnique({
    where: { username: parsed.data.username },
    select: { ...publicFields, passwordHash: true, sessionVersion: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
  if (!user?.passwordHash || !ok) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    sessionVersion: user.sessionVersion,
  };
}

/** What a session token says about its session (lib/auth/jwt.ts `sessionClaims`). */
export interface SessionRef {
  uid: string;
  /** The user's session version when the token was issued. */
  sv: unknown;
  /** The session's id (lib/sessions/sessions.service.ts); a token without one is not accepted. */
  sid: unknown;
}

/**
 * The user behind a session token, if the session is still live: its session version is current
 * and it was not signed out (its sid is not revoked).
 */
export async function getSessionUser(ref: SessionRef): Promise<SessionUser | null> {
  // A prepared statement: this runs on every page load (docs/performance.md).
  const [row] = await sessionRows("beacon_session_user", SESSION_USER, ref);
  return currentSession(row, ref.sv);
}

/**
 * The same for a socket handshake, with the ids of the rooms the user is a member of: the handshake
 * joins them all, and reading both at once saves one of its three database round trips.
 */
export async function getSessionUserAndRooms(
  ref: SessionRef,
): Promise<{ user: SessionUser; roomIds: string[] } | null> {
  const [row] = await sessionRows<{ roomIds: string[] }>(
    "beacon_session_user_rooms",
    SESSION_USER_ROOMS,
    ref,
  );
  const user = currentSession(row, ref.sv);
  return user && row ? { user, roomIds: row.roomIds } : null;
}

// The revocation check rides on the user read that every page, API call and handshake makes
// anyway: no extra round trip, nothing to cache, and a sign-out is seen at once by every node that
// shares the database (a per-node cache would need invalidating across nodes). A deactivated
// account has no live session.
const SESSION_USER = `SELECT id::text, username, "displayName", "sessionVersion", role,
         "deactivatedAt" IS NOT NULL AS deactivated,
         EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = $2) AS revoked
  FROM "User" WHERE id = $1::uuid`;
const SESSION_USER_ROOMS = `
  SELECT id::text, username, "displayName", "sessionVersion", role,
         "deactivatedAt" IS NOT NULL AS deactivated,
         EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = $2) AS revoked,
         ARRAY(SELECT "roomId"::text FROM "Membership" WHERE "userId" = "User".id) AS "roomIds"
  FROM "User" WHERE id = $1::uuid`;

type SessionRow = PublicUser & {
  sessionVersion: number;
  role: string;
  deactivated: boolean;
  revoked: boolean;
};

function sessionRows<T = object>(name: string, text: string, ref: SessionRef): Promise<(SessionRow & T)[]> {
  // The ::uuid cast would throw on anything else (a token is ours, but its claims are still input).
  // A token without a session id (issued before sign-out could revoke one) cannot be signed out: it
  // is not accepted, so it means signing in once more.
  if (!z.uuid().safeParse(ref.uid).success || !sessionIdSchema.safeParse(ref.sid).success)
    return Promise.resolve([]);
  return prepared<SessionRow & T>(name, text, [ref.uid, ref.sid]);
}

function currentSession(row: SessionRow | undefined, sessionVersion: unknown): SessionUser | null {
  if (!row || row.revoked || row.deactivated) return null;
  if (row.sessionVersion !== (typeof sessionVersion === "number" ? sessionVersion : 0)) return null;
  return { id: row.id, username: row.username, displayName: row.displayName, role: asRole(row.role) };
}

/**
 * Change my password; every other session ends (their tokens carry the old session version). Wrong
 * current passwords are slowed down (their own budget, so they never slow signing in): a stolen
 * session must not be a way to guess the password without limit (and then take the account).
 */
export async function changePassword(
  actor: { id: string; username: string },
  input: unknown,
): Promise<{ sessionVersion: number }> {
  const data = parseOrThrow(changePasswordSchema, input);
  // Spend the attempt before checking the password: a check of the budget first would let every one
  // of N parallel guesses past it before the first of them spent anything.
  await limits().consume("passwordChange", actor.id);
  let ok: boolean;
  try {
    const user = await db().user.findUnique({ where: { id: actor.id }, select: { passwordHash: true } });
    ok = user?.passwordHash ? await verifyPassword(user.passwordHash, data.currentPassword) : false;
  } catch (err) {
    // Not a guess (nothing was compared): an outage must not use up the account's budget.
    await limits()
      .reward("passwordChange", actor.id)
      .catch(() => {});
    throw err;
  }
  if (!ok) {
    const message = "Your current password is not right";
    throw new AppError("validation", message, { fields: { currentPassword: [message] } });
  }
  await limits().reset("passwordChange", actor.id);
  const updated = await db().user.update({
    where: { id: actor.id },
    data: { passwordHash: await hashPassword(data.newPassword), sessionVersion: { increment: 1 } },
    select: { sessionVersion: true },
  });
  return updated;
}

export async function getUserById(id: string): Promise<PublicUser | null> {
  return db().user.findUnique({ where: { id }, select: publicFields });
}

export async function getUserByUsername(username: string): Promise<PublicUser | null> {
  const parsed = usernameSchema.safeParse(username);
  if (!parsed.success) return null;
  return db().user.findUnique({ where: { username: parsed.data }, select: publicFields });
}

/** Username candidates from an OAuth profile: sanitised, then suffixed until one is free. */
function baseUsername(raw: string | null | undefined): string {
  const cleaned = (raw ?? "")
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "")
    .slice(0, 24);
  return cleaned.length >= 3 ? cleaned : `user${cleaned}`;
}

/** The user an OAuth/OIDC identity is linked to, if any. */
async function linkedUser(identity: {
  provider: string;
  providerAccountId: string;
}): Promise<PublicUser | null> {
  const link = await db().account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: identity.provider,
        providerAccountId: identity.providerAccountId,
      },
    },
    select: { user: { select: publicFields } },
  });
  return link?.user ?? null;
}

/** Finds the user linked to an OAuth/OIDC identity, creating user and link on first sign-in. */
export async function findOrCreateOAuthUser(profile: {
  provider: string;
  providerAccountId: string;
  preferredUsername?: string | null;
  name?: string | null;
  email?: string | null;
}): Promise<PublicUser> {
  const linked = await linkedUser(profile);
  if (linked) return linked;
  const base = baseUsername(profile.preferredUsername ?? profile.email?.split("@")[0] ?? profile.name);
  const displayName = (profile.name ?? profile.preferredUsername ?? base).slice(0, 64) || base;
  for (let attempt = 0; attempt < 20; attempt++) {
    const username = attempt === 0 ? base : `${base}${Math.floor(Math.random() * 10_000)}`;
    try {
      return await db().user.create({
        data: {
          username,
          displayName,
          accounts: { create: { provider: profile.provider, providerAccountId: profile.providerAccountId } },
        },
        select: publicFields,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Either the username is taken (try another) or a concurrent sign-in linked the account.
      const again = await linkedUser(profile);
      if (again) return again;
    }
  }
  throw new AppError("conflict", "Could not pick a free username for this account");
}

/** Up to 10 people whose username or display name starts with `q` (case-insensitive). */
export async function searchUsers(q: unknown): Promise<(PublicUser & { avatarUrl: string | null })[]> {
  const term = parseOrThrow(filterTextSchema, q).trim().slice(0, 64);
  if (!term) return [];
  // Escaped: "_" or "%" are LIKE wildcards and would match everyone.
  const prefix = escapeLike(term);
  const rows = await db().user.findMany({
    where: {
      OR: [
        { username: { startsWith: prefix.toLowerCase() } },
        { displayName: { startsWith: prefix, mode: "insensitive" } },
      ],
    },
    select: { ...publicFields, avatarKey: true, avatarVersion: true },
    orderBy: { username: "asc" },
    take: 10,
  });
  return rows.map(({ avatarKey, avatarVersion, ...u }) => ({
    ...u,
    avatarUrl: avatarKey ? avatarUrl(u.id, avatarVersion) : null,
  }));
}

export async function getSessionVersion(id: string): Promise<number | null> {
  const user = await db().user.findUnique({ where: { id }, select: { sessionVersion: true } });
  return user?.sessionVersion ?? null;
}
