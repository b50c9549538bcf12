// What an OAuth/OIDC sign-in does once the provider vouched for an identity (next-auth's signIn
// callback): link it to the signed-in user when they asked to (Settings → Link), apply the
// identity provider's groups (access, admin role), find or create the account, or, when the
// username the provider gave belongs to someone else, send the person to a choice screen. Never
// links by e-mail or username.
import type { Account } from "next-auth";
import { addResponseCookie, requestCookie, requestCookies } from "@/lib/auth/auth-request";
import { sessionClaims } from "@/lib/auth/jwt";
import { OIDC_ID } from "@/lib/auth/oidc";
import { decideGroups, type GroupDecision, profileFromClaims } from "@/lib/auth/oidc-claims";
import { COOKIE_NAMES, openCookie, sealCookie, setCookieHeader } from "@/lib/auth/signed-cookie";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { applyGroupRole, linkIdentity, signInWithIdentity } from "@/lib/users/identities.service";
import { getSessionUser, oauthSignInRefusal } from "@/lib/users/users.service";

/** An identity waiting for its username to be chosen (or for a password sign-in that links it). */
export interface PendingSignIn {
  provider: string;
  providerAccountId: string;
  wanted: string;
  name?: string;
  email?: string;
  username?: string;
  /** The admin-group decision at sign-in (null: groups do not manage the role). */
  admin: boolean | null;
}

/** A signed-in user's request to link a provider: valid for this session only. */
export interface LinkIntent {
  uid: string;
  sid: string;
  provider: string;
}

/** The ?linkError= codes Settings explains (never free text in a URL). */
export type LinkErrorCode = "elsewhere" | "already" | "expired" | "failed";

function secret(): string {
  const s = env().NEXTAUTH_SECRET;
  if (!s) throw new Error("NEXTAUTH_SECRET is not set");
  return s;
}

function secure(): boolean {
  return env().NEXTAUTH_URL?.startsWith("https:") ?? false;
}

export function providerName(provider: string): string {
  if (provider === "github") return "GitHub";
  if (provider === "google") return "Google";
  if (provider === OIDC_ID) return env().OIDC_NAME;
  return provider;
}

/** The OAuth providers configured here, with their button names. */
export function configuredProviders(): { id: string; name: string }[] {
  const e = env();
  const out: { id: string; name: string }[] = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) out.push({ id: "github", name: "GitHub" });
  if (e.GOOGLE_ID && e.GOOGLE_SECRET) out.push({ id: "google", name: "Google" });
  if (e.OIDC_ISSUER && e.OIDC_ID && e.OIDC_SECRET) out.push({ id: OIDC_ID, name: e.OIDC_NAME });
  return out;
}

/**
 * Settings → "Link <provider>": the Set-Cookie that makes the next OAuth callback of `provider`
 * link to this session's user (checked again at the callback: same user, same session).
 */
export async function startLink(cookies: Record<string, string>, input: unknown): Promise<string> {
  const provider = (input as { provider?: unknown } | null)?.provider;
  if (typeof provider !== "string" || !configuredProviders().some((p) => p.id === provider))
    throw new AppError("validation", "That sign-in provider is not configured on this server", {
      fields: { provider: ["Unknown provider"] },
    });
  const session = await signedInUser(cookies);
  if (!session || typeof session.sid !== "string") throw new AppError("unauthorized", "Sign in to continue");
  const intent: LinkIntent = { uid: session.user.id, sid: session.sid, provider };
  return setCookieHeader("link", sealCookie(secret(), "link", intent), secure());
}

export function readPending(cookies: Record<string, string>): PendingSignIn | null {
  return openCookie<PendingSignIn>(secret(), "pending", cookies[COOKIE_NAMES.pending]);
}

export function clearPendingHeader(): string {
  return setCookieHeader("pending", null, secure());
}

/** The signed-in user behind the request's session cookie, if the session is live. */
async function signedInUser(cookies: Record<string, string>) {
  const claims = await sessionClaims(cookies, secret());
  if (!claims) return null;
  const user = await getSessionUser(claims);
  return user ? { user, sid: claims.sid } : null;
}

async function linkToCurrentUser(account: Account, intent: LinkIntent | null): Promise<string> {
  const session = await signedInUser(requestCookies());
  if (!intent || !session || session.user.id !== intent.uid || session.sid !== intent.sid)
    return "/settings?linkError=expired";
  const identity = { provider: account.provider, providerAccountId: account.providerAccountId };
  try {
    await linkIdentity(session.user, identity, providerName(account.provider));
    return `/settings?linked=${encodeURIComponent(account.provider)}`;
  } catch (err) {
    if (err instanceof AppError && err.code === "conflict")
      return `/settings?linkError=${err.message.includes("another Beacon account") ? "elsewhere" : "already"}`;
    logger.error({ err }, "linking a provider failed");
    return "/settings?linkError=failed";
  }
}

/**
 * next-auth's signIn callback for OAuth providers: true to sign in, a path to send the browser to
 * instead, or a thrown Error whose message is the sign-in page's ?error= code.
 */
export async function oauthSignIn(account: Account, rawProfile: unknown): Promise<true | string> {
  const e = env();
  // Settings → "Link <provider>": this callback links to the signed-in user and signs no one in.
  const linkCookie = requestCookie(COOKIE_NAMES.link);
  if (linkCookie) {
    addResponseCookie(setCookieHeader("link", null, secure()));
    const intent = openCookie<LinkIntent>(secret(), "link", linkCookie);
    if (!intent || intent.provider === account.provider) return linkToCurrentUser(account, intent);
  }
  const isOidc = account.provider === OIDC_ID;
  const profile = profileFromClaims(
    (rawProfile ?? {}) as Record<string, unknown>,
    isOidc ? e.OIDC_GROUPS_CLAIM : "groups",
  );
  const decision: GroupDecision = isOidc
    ? decideGroups(profile.groups, { allowed: e.OIDC_ALLOWED_GROUPS, admin: e.OIDC_ADMIN_GROUPS })
    : { allowed: true, admin: null };
  if (!decision.allowed) throw new Error("NotInAllowedGroup");
  const identity = { provider: account.provider, providerAccountId: account.providerAccountId };
  // A new identity is an account being created: refused while sign-up is invite-only or closed
  // (account creation checks the policy again in its transaction). Linked identities always sign in.
  const refusal = await oauthSignInRefusal(identity);
  if (refusal) throw new Error(refusal === "invite" ? "RegistrationInvite" : "RegistrationClosed");
  const result = await signInWithIdentity(identity, profile, decision.admin ? "admin" : undefined);
  if (result.kind === "taken") {
    const pending: PendingSignIn = {
      ...identity,
      wanted: result.wanted,
      name: profile.name,
      email: profile.email,
      username: profile.username,
      admin: decision.admin,
    };
    addResponseCookie(setCookieHeader("pending", sealCookie(secret(), "pending", pending), secure()));
    return "/signin/choose";
  }
  if (result.user.deactivated) throw new Error("AccountDeactivated");
  if (!result.created) await applyGroupRole(result.user, decision);
  return true;
}
