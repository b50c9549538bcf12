// Accounts: sign-up, credential checks, lookups (OAuth/OIDC identities: identities.service.ts).
import { z } from "zod";
import { db, isUniqueViolation, prepared } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, parseOrThrow } from "@/lib/errors";
import { avatarUrl } from "@/lib/files/files.schema";
import {
  auditInviteSignUp,
  joinRoomsInTx,
  REDEEM_TX,
  type RedeemedInvite,
  redeemInvite,
} from "@/lib/invites/invites.service";
import { limits } from "@/lib/ratelimit/limits";
import { sessionIdSchema } from "@/lib/sessions/sessions.schema";
import { escapeLike, filterTextSchema } from "@/lib/text";
import { dummyHash, hashPassword, verifyPassword } from "@/lib/users/password";
import { currentRole } from "@/lib/workspace/access";
import { asRole, isGuest, type Role } from "@/lib/workspace/roles";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import {
  changePasswordSchema,
  type PublicUser,
  type SessionUser,
  signInSchema,
  signUpSchema,
  usernameSchema,
} from "./users.schema";

const publicFields = { id: true, username: true, displayName: true } as const;

/** A new account: what it is and the rooms it was put in (invite rooms first, then default rooms). */
export type NewAccount = PublicUser & { role: Role; roomIds: string[] };

export async function signUp(input: unknown): Promise<NewAccount> {
  // SSO-only mode: accounts come from the identity provider (lib/auth/oidc.ts).
  if (env().AUTH_PASSWORD === "off")
    throw new AppError(
      "forbidden",
      "Sign-up with a password is turned off on this server. Sign in with your organization's account instead.",
    );
  const { invite, ...data } = parseOrThrow(signUpSchema, input);
  const taken = () =>
    new AppError("conflict", "That username is taken", { fields: { username: ["That username is taken"] } });
  // Someone's current name, or a former one (UsernameAlias: old @mentions still name its owner).
  const [existing, alias] = await Promise.all([
    db().user.findUnique({ where: { username: data.username }, select: { id: true } }),
    db().usernameAlias.findUnique({ where: { username: data.username }, select: { userId: true } }),
  ]);
  if (existing || alias) throw taken();
  const passwordHash = await hashPassword(data.password);
  try {
    return await createAccount({ ...data, passwordHash }, invite);
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}

// Any constant: the key of the transaction-level advisory lock that makes "the first account is the
// owner" hold when two people sign up on a fresh server at the same moment.
const FIRST_ACCOUNT_LOCK = 0x62_65_61_63_01;

export const REGISTRATION_MESSAGES = {
  invite: "Sign-up on this server needs an invite link. Ask an admin of the workspace for one.",
  closed: "Sign-up is closed on this server. Ask an admin of the workspace for an account.",
} as const;

/**
 * Creates an account in one transaction: the first account on the server is the owner (decided under
 * an advisory lock, so two first sign-ups at once make exactly one owner); otherwise the
 * registration policy applies (open, invite: only with a valid link, closed: nobody), an invite is
 * redeemed in the same transaction (a failed sign-up gives the use back), and the account joins the
 * invite's rooms and the workspace's default rooms (guests only the invite's).
 */
export async function createAccount(
  data: {
    username: string;
    displayName: string;
    passwordHash?: string;
    account?: { provider: string; providerAccountId: string };
    /** The role to give unless this is the first account (the owner), e.g. from OIDC admin groups. */
    role?: Role;
  },
  inviteToken: string | undefined,
): Promise<NewAccount> {
  const settings = await getWorkspaceSettings();
  return db().$transaction(async (tx) => {
    const anyone = () =>
      tx.$queryRaw<{ first: boolean }[]>`SELECT NOT EXISTS (SELECT 1 FROM "User") AS first`.then(
        (r) => r[0]?.first === true,
      );
    let first = await anyone();
    if (first) {
      // Someone else may be creating the first account right now: wait for them, then look again.
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${FIRST_ACCOUNT_LOCK}::bigint)`;
      first = await anyone();
    }
    let invite: RedeemedInvite | undefined;
    if (!first) {
      if (settings.registration === "closed") throw new AppError("forbidden", REGISTRATION_MESSAGES.closed);
      if (inviteToken) invite = await redeemInvite(tx, inviteToken);
      else if (settings.registration === "invite")
        throw new AppError("forbidden", REGISTRATION_MESSAGES.invite);
    }
    const role: Role = first
      ? "owner"
      : (data.role ?? (invite?.kind === "workspace" ? invite.role : "member"));
    const user = await tx.user.create({
      data: {
        username: data.username,
        displayName: data.displayName,
        passwordHash: data.passwordHash,
        role,
        ...(data.account ? { accounts: { create: data.account } } : {}),
      },
      select: publicFields,
    });
    // Default rooms are public rooms (a stale id of a room made private since is skipped); guests see
    // only the rooms they are added to, so they join only the invite's.
    const defaults =
      role === "guest" || settings.defaultRoomIds.length === 0
        ? []
        : (
            await tx.room.findMany({
              where: { id: { in: settings.defaultRoomIds }, isPrivate: false },
              select: { id: true },
            })
          ).map((r) => r.id);
    const roomIds = await joinRoomsInTx(tx, user.id, [...(invite?.roomIds ?? []), ...defaults]);
    if (invite) await auditInviteSignUp(tx, user, invite, role, roomIds);
    return { ...user, role, roomIds };
  }, REDEEM_TX);
}

/** Whether an OAuth identity may sign in: a linked one always; a new one only while sign-up is open. */
export async function oauthSignInRefusal(identity: {
  provider: string;
  providerAccountId: string;
}): Promise<"invite" | "closed" | null> {
  const linked = await db().account.findUnique({
    where: { provider_providerAccountId: identity },
    select: { userId: true },
  });
  if (linked) return null;
  if (!(await anyUser())) return null; // the first account of a fresh server
  const { registration } = await getWorkspaceSettings();
  return registration === "open" ? null : registration;
}

async function anyUser(): Promise<boolean> {
  return (await db().user.findFirst({ select: { id: true } })) !== null;
}

/** Returns the user for a correct username + password, otherwise null (same work either way). */
export async function verifyCredentials(
  input: unknown,
): Promise<(PublicUser & { sessionVersion: number; deactivated: boolean }) | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const user = await db().user.findUnique({
    where: { username: parsed.data.username },
    select: { ...publicFields, passwordHash: true, sessionVersion: true, deactivatedAt: true, isBot: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), parsed.data.password);
  // A bot never signs in through the browser (it acts with API tokens), even if a hash got there.
  if (!user?.passwordHash || !ok || user.isBot) return null;
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    sessionVersion: user.sessionVersion,
    // Told only to someone who knows the password: the sign-in form says why (an admin's decision).
    deactivated: user.deactivatedAt !== null,
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
// account has no live session, and neither has a bot (it acts with API tokens only, lib/bots).
// The workspace's two-factor policy rides along too (one row by primary key): a password account
// it requires two-factor of, and that has not set it up, may only set it up (lib/auth/session.ts).
const MUST_ENROL = `("passwordHash" IS NOT NULL AND "totpEnabledAt" IS NULL AND
         CASE (SELECT "twoFactorPolicy" FROM "Workspace" WHERE id = 1)
           WHEN 'everyone' THEN true WHEN 'admins' THEN role IN ('owner', 'admin') ELSE false END)
         AS "mustEnrol"`;
const SESSION_USER = `SELECT id::text, username, "displayName", "sessionVersion", role,
         ("deactivatedAt" IS NOT NULL OR "isBot") AS deactivated,
         EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = $2) AS revoked, ${MUST_ENROL}
  FROM "User" WHERE id = $1::uuid`;
const SESSION_USER_ROOMS = `
  SELECT id::text, username, "displayName", "sessionVersion", role,
         ("deactivatedAt" IS NOT NULL OR "isBot") AS deactivated,
         EXISTS (SELECT 1 FROM "RevokedSession" WHERE sid = $2) AS revoked, ${MUST_ENROL},
         ARRAY(SELECT "roomId"::text FROM "Membership" WHERE "userId" = "User".id) AS "roomIds"
  FROM "User" WHERE id = $1::uuid`;

type SessionRow = PublicUser & {
  sessionVersion: number;
  role: string;
  deactivated: boolean;
  revoked: boolean;
  mustEnrol: boolean;
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
  const user: SessionUser = {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: asRole(row.role),
  };
  if (row.mustEnrol) user.twoFactorSetupRequired = true;
  return user;
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

/** An active account by current username, else by a former one (a UsernameAlias); null when deactivated. */
export async function getUserByUsername(username: string): Promise<PublicUser | null> {
  const parsed = usernameSchema.safeParse(username);
  if (!parsed.success) return null;
  const user = await db().user.findUnique({
    where: { username: parsed.data },
    select: { ...publicFields, deactivatedAt: true },
  });
  const found =
    user ??
    (
      await db().usernameAlias.findUnique({
        where: { username: parsed.data },
        select: { user: { select: { ...publicFields, deactivatedAt: true } } },
      })
    )?.user;
  // A deactivated account cannot be added anywhere or messaged.
  if (!found || found.deactivatedAt) return null;
  return { id: found.id, username: found.username, displayName: found.displayName };
}

/** True when this OAuth/OIDC identity is linked to a deactivated account (its sign-in is refused). */
export async function isDeactivatedIdentity(identity: {
  provider: string;
  providerAccountId: string;
}): Promise<boolean> {
  const link = await db().account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: identity.provider,
        providerAccountId: identity.providerAccountId,
      },
    },
    select: { user: { select: { deactivatedAt: true } } },
  });
  return link?.user.deactivatedAt != null;
}

/**
 * Up to 10 people whose username or display name starts with `q` (case-insensitive). A guest finds
 * only people who share a room with them (the role is read fresh: a socket's may be stale).
 */
export async function searchUsers(
  actor: { id: string },
  q: unknown,
): Promise<(PublicUser & { avatarUrl: string | null })[]> {
  const term = parseOrThrow(filterTextSchema, q).trim().slice(0, 64);
  if (!term) return [];
  // Escaped: "_" or "%" are LIKE wildcards and would match everyone.
  const prefix = escapeLike(term);
  const guest = isGuest((await currentRole(actor.id)).role);
  const rows = await db().user.findMany({
    where: {
      deactivatedAt: null,
      OR: [
        { username: { startsWith: prefix.toLowerCase() } },
        { displayName: { startsWith: prefix, mode: "insensitive" } },
      ],
      ...(guest ? { memberships: { some: { room: { memberships: { some: { userId: actor.id } } } } } } : {}),
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
