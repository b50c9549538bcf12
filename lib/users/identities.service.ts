// Linked OAuth/OIDC identities: the sign-in's lookup and account creation, linking and unlinking
// from Settings, and the role an identity provider's groups give. The provider's subject
// (Account.providerAccountId) is the identity: an e-mail or a username never links anything.
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit.service";
import {
  baseUsername,
  type GroupDecision,
  roleAfterSignIn,
  usernameCandidates,
} from "@/lib/auth/oidc-claims";
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { asRole, type Role } from "@/lib/workspace/roles";
import { displayNameSchema, type PublicUser, usernameSchema } from "./users.schema";
import { createAccount } from "./users.service";

export interface Identity {
  provider: string;
  providerAccountId: string;
}

export interface LinkedUser extends PublicUser {
  role: Role;
  deactivated: boolean;
}

const linkedSelect = {
  id: true,
  username: true,
  displayName: true,
  role: true,
  deactivatedAt: true,
} as const;

function toLinked(u: {
  id: string;
  username: string;
  displayName: string;
  role: string;
  deactivatedAt: Date | null;
}): LinkedUser {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: asRole(u.role),
    deactivated: u.deactivatedAt !== null,
  };
}

/** The user an identity is linked to, if any. */
export async function findLinkedUser(identity: Identity): Promise<LinkedUser | null> {
  const link = await db().account.findUnique({
    where: {
      provider_providerAccountId: {
        provider: identity.provider,
        providerAccountId: identity.providerAccountId,
      },
    },
    select: { user: { select: linkedSelect } },
  });
  return link ? toLinked(link.user) : null;
}

/** Someone's current username, or a former one (UsernameAlias: old @mentions still name its owner). */
async function usernameTaken(username: string): Promise<boolean> {
  const [users, aliases] = await Promise.all([
    db().user.count({ where: { username } }),
    db().usernameAlias.count({ where: { username } }),
  ]);
  return users + aliases > 0;
}

/** The first free username among the wanted one and its numbered variants. */
export async function suggestUsername(wanted: string): Promise<string> {
  const candidates = usernameCandidates(wanted);
  const [users, aliases] = await Promise.all([
    db().user.findMany({ where: { username: { in: candidates } }, select: { username: true } }),
    db().usernameAlias.findMany({ where: { username: { in: candidates } }, select: { username: true } }),
  ]);
  const taken = new Set([...users, ...aliases].map((u) => u.username));
  const free = candidates.find((c) => !taken.has(c));
  return free ?? `${wanted.slice(0, 20)}${Math.floor(Math.random() * 1_000_000)}`;
}

export type IdentitySignIn =
  | { kind: "user"; user: LinkedUser; created: boolean }
  /** The username the provider gave is someone else's: the person must choose (never linked implicitly). */
  | { kind: "taken"; wanted: string; suggestion: string };

/**
 * An OAuth sign-in's account: the linked user, or a new user under the username the provider gave
 * when it is free. A taken username is never a link to that account: the caller shows a choice.
 */
export async function signInWithIdentity(
  identity: Identity,
  profile: { username?: string; name?: string; email?: string },
  role?: Role,
): Promise<IdentitySignIn> {
  const linked = await findLinkedUser(identity);
  if (linked) return { kind: "user", user: linked, created: false };
  const wanted = baseUsername(profile);
  const displayName = displayNameFor(profile, wanted);
  if (!(await usernameTaken(wanted))) {
    try {
      const user = await createUserForIdentity(identity, { username: wanted, displayName, role });
      return { kind: "user", user, created: true };
    } catch (err) {
      if (!(err instanceof AppError && err.code === "conflict" && err.extra.fields)) throw err;
    }
  }
  const again = await findLinkedUser(identity); // a concurrent first sign-in of the same identity
  if (again) return { kind: "user", user: again, created: false };
  return { kind: "taken", wanted, suggestion: await suggestUsername(wanted) };
}

function displayNameFor(profile: { username?: string; name?: string }, fallback: string): string {
  const parsed = displayNameSchema.safeParse((profile.name ?? profile.username ?? fallback).slice(0, 64));
  return parsed.success ? parsed.data : fallback;
}

const chooseSchema = z.strictObject({ username: usernameSchema });

/**
 * Creates the user for an identity under a username the person chose (the choice screen). Conflict
 * with a field error when it is taken; the identity's user when it got linked meanwhile.
 */
export async function createUserForIdentity(
  identity: Identity,
  input: { username: unknown; displayName: string; role?: Role },
): Promise<LinkedUser> {
  const { username } = parseOrThrow(chooseSchema, { username: input.username });
  const taken = () => {
    const message = "That username is taken";
    return new AppError("conflict", message, { fields: { username: [message] } });
  };
  // Checked first: the account creation runs in a transaction, where a unique violation does not
  // come back as one we can tell apart.
  if (await usernameTaken(username)) {
    const linked = await findLinkedUser(identity);
    if (linked) return linked;
    throw taken();
  }
  try {
    // The same account creation as a password sign-up: the first account owns the workspace, the
    // registration policy is checked again in its transaction, default rooms are joined.
    const created = await createAccount(
      {
        username,
        displayName: input.displayName,
        role: input.role,
        // Only the identity: callers may pass a larger object (the pending sign-in's cookie).
        account: { provider: identity.provider, providerAccountId: identity.providerAccountId },
      },
      undefined,
    );
    const user = await db().user.findUniqueOrThrow({ where: { id: created.id }, select: linkedSelect });
    return toLinked(user);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const linked = await findLinkedUser(identity);
    if (linked) return linked;
    throw taken();
  }
}

/** Applies what the groups decide to the user's role (owners are never touched); audited when it changes. */
export async function applyGroupRole(user: LinkedUser, decision: GroupDecision): Promise<Role> {
  const to = roleAfterSignIn(user.role, decision);
  if (to === user.role) return to;
  await db().$transaction(async (tx) => {
    // Only from the role it had when read: a concurrent change by an admin wins.
    const { count } = await tx.user.updateMany({
      where: { id: user.id, role: user.role },
      data: { role: to },
    });
    if (count === 1)
      await recordAudit(
        {
          actor: null,
          action: "user.role",
          targetType: "user",
          targetId: user.id,
          targetLabel: `@${user.username}`,
          detail: { from: user.role, to, by: "identity provider groups" },
        },
        tx,
      );
  });
  return to;
}

export interface SignInMethods {
  /** The account has a password (it counts as a way to sign in only when password sign-in is on). */
  password: boolean;
  linked: { provider: string; createdAt: string }[];
}

export async function listSignInMethods(actorId: string): Promise<SignInMethods> {
  const user = await db().user.findUnique({
    where: { id: actorId },
    select: { passwordHash: true, accounts: { select: { provider: true, createdAt: true } } },
  });
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return {
    password: user.passwordHash !== null,
    linked: user.accounts.map((a) => ({ provider: a.provider, createdAt: a.createdAt.toISOString() })),
  };
}

const providerSchema = z.strictObject({ provider: z.string().trim().min(1).max(32) });

/**
 * Links an identity to the signed-in user (an explicit link from Settings). Conflict when it belongs
 * to someone else, or when the user already has an identity of that provider.
 */
export async function linkIdentity(
  actor: { id: string; username: string },
  identity: Identity,
  providerName: string,
): Promise<void> {
  const me = await db().user.findUnique({ where: { id: actor.id }, select: { isBot: true } });
  // A bot acts with API tokens only: no identity can ever sign in as it.
  if (!me || me.isBot) throw new AppError("forbidden", "Bots cannot have sign-in methods");
  const owner = await findLinkedUser(identity);
  if (owner?.id === actor.id) return;
  if (owner)
    throw new AppError(
      "conflict",
      `That ${providerName} account is already linked to another Beacon account. Sign in with it and unlink it there first.`,
    );
  const mine = await db().account.count({ where: { userId: actor.id, provider: identity.provider } });
  if (mine > 0)
    throw new AppError("conflict", `You already have a ${providerName} account linked. Unlink it first.`);
  try {
    await db().$transaction(async (tx) => {
      await tx.account.create({
        data: {
          provider: identity.provider,
          providerAccountId: identity.providerAccountId,
          userId: actor.id,
        },
      });
      await recordAudit(
        {
          actor,
          action: "user.link",
          targetType: "user",
          targetId: actor.id,
          targetLabel: `@${actor.username}`,
          detail: { provider: identity.provider },
        },
        tx,
      );
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    throw new AppError(
      "conflict",
      `That ${providerName} account is already linked to another Beacon account.`,
    );
  }
}

/**
 * Unlinks the user's identity of `provider`, never the last way to sign in: another linked identity
 * of a configured provider, or a password while password sign-in is on. Checked and done under a
 * lock on the user's row, so two unlinks at once cannot both pass.
 */
export async function unlinkIdentity(
  actor: { id: string; username: string },
  input: unknown,
  rules: { passwordSignIn: boolean; configuredProviders: string[]; providerName: string },
): Promise<void> {
  const { provider } = parseOrThrow(providerSchema, input);
  await db().$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ hasPassword: boolean }[]>`
      SELECT "passwordHash" IS NOT NULL AS "hasPassword" FROM "User" WHERE id = ${actor.id}::uuid FOR UPDATE`;
    if (!row) throw new AppError("unauthorized", "Sign in to continue");
    const links = await tx.account.findMany({ where: { userId: actor.id }, select: { provider: true } });
    if (!links.some((l) => l.provider === provider))
      throw new AppError("not_found", `No ${rules.providerName} account is linked to yours`);
    const others = links.filter(
      (l) => l.provider !== provider && rules.configuredProviders.includes(l.provider),
    );
    const passwordCounts = rules.passwordSignIn && row.hasPassword;
    if (others.length === 0 && !passwordCounts)
      throw new AppError(
        "conflict",
        `${rules.providerName} is your only way to sign in: link another provider before unlinking it.`,
      );
    await tx.account.deleteMany({ where: { userId: actor.id, provider } });
    await recordAudit(
      {
        actor,
        action: "user.unlink",
        targetType: "user",
        targetId: actor.id,
        targetLabel: `@${actor.username}`,
        detail: { provider },
      },
      tx,
    );
  });
}
