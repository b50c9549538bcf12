// Who is signed in, for server components and route handlers (sockets:
// lib/realtime/server/socket-auth.ts).
// We read the session cookie ourselves instead of through getServerSession: next-auth catches any
// error thrown while it checks a session and answers "no session", so a database outage would look
// like everyone signed out (401s, redirects to /signin). Here "no such user / session revoked" is
// null, and a failed lookup is an `unavailable` AppError (503 for API routes).

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { sessionClaims, sessionKey } from "@/lib/auth/jwt";
import { env } from "@/lib/env";
import { AppError, UNAVAILABLE_DIGEST } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { clientIp } from "@/lib/origin";
import { limits, type RequestKind } from "@/lib/ratelimit/limits";
import { touchSession } from "@/lib/sessions/devices.service";
import type { TokenScope } from "@/lib/tokens/tokens.schema";
import {
  authenticateToken,
  bearerToken,
  requireScope,
  tokenLimitKey,
  tokenSid,
} from "@/lib/tokens/tokens.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { getSessionUser } from "@/lib/users/users.service";
import { isAdmin } from "@/lib/workspace/roles";

const log = logger.child({ module: "session" });

/** The error for a session that could not be checked: the client should retry, not sign in again. */
export function sessionUnavailable(): AppError {
  const err = new AppError(
    "unavailable",
    "Beacon cannot reach its database right now. Please try again in a moment.",
  );
  // For pages: the error boundary shows the outage wording only for this digest.
  return Object.assign(err, { digest: UNAVAILABLE_DIGEST });
}

/** What a session read needs from a request: its cookies, parsed (and who is asking, for "Your devices"). */
export interface SessionSource {
  cookies: Record<string, string>;
  /**
   * A personal access token from `Authorization: Bearer bcn_…` (lib/tokens): it replaces the cookie
   * for API routes (never for pages), with the scope the route's method needs.
   */
  bearer?: string | null;
  /** The browser's user agent and address: recorded when the session is marked as seen. */
  client?: { userAgent: string; ip: string };
}

/**
 * The signed-in user of a request and its session id: null when there is no valid session or it
 * was revoked (user gone, password changed, signed out); throws an `unavailable` AppError when the
 * user cannot be looked up. With `limit`, spends one point of that route's budget for the token's
 * user first (rate_limited when out), so a limited request never reaches the database. A live
 * session is marked as seen (at most once a minute, never awaited: lib/sessions/devices.service.ts).
 */
export async function sessionFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<{ user: SessionUser; sid: string } | null> {
  const claims = await sessionClaims(src.cookies, secret);
  if (!claims) return null;
  // Per session, not per user: a signed-out copy of a cookie must not use up its owner's budgets.
  if (limit) await limits().consume(limit, sessionKey(claims));
  let user: Awaited<ReturnType<typeof getSessionUser>>;
  try {
    user = await getSessionUser(claims);
  } catch (err) {
    log.error({ err }, "session lookup failed");
    throw sessionUnavailable();
  }
  if (!user) return null;
  const sid = String(claims.sid);
  touchSession({
    sid,
    userId: user.id,
    sessionVersion: typeof claims.sv === "number" ? claims.sv : 0,
    userAgent: src.client?.userAgent ?? "",
    ip: src.client?.ip ?? "",
  });
  const out: SessionUser = {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
  };
  if (user.twoFactorSetupRequired) out.twoFactorSetupRequired = true;
  return { user: out, sid };
}

/** The signed-in user of a request (see sessionFrom), or null. */
export async function sessionUserFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<SessionUser | null> {
  return (await sessionFrom(src, secret, limit))?.user ?? null;
}

/**
 * The routes an account may use while the workspace requires two-factor of it and it has none yet:
 * setting it up. Every other route answers 403 until then.
 */
const TWO_FACTOR_SETUP_ROUTES: ReadonlySet<RequestKind> = new Set<RequestKind>([
  "GET /api/account/two-factor",
  "POST /api/account/two-factor",
]);

export const TWO_FACTOR_REQUIRED_MESSAGE =
  "Your workspace requires two-factor authentication: set it up in Settings to continue";

/** For API routes: the session, or 401 (503 when the lookup fails, 403 while two-factor set-up is due). */
async function apiSessionFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<{ user: SessionUser; sid: string; token?: { id: string; scopes: TokenScope[] } }> {
  if (src.bearer) return tokenSessionFrom(src.bearer, src.client?.ip ?? "", limit);
  const s = await sessionFrom(src, secret, limit);
  if (!s) throw new AppError("unauthorized", "Sign in to continue");
  if (s.user.twoFactorSetupRequired && !(limit && TWO_FACTOR_SETUP_ROUTES.has(limit)))
    throw new AppError("forbidden", TWO_FACTOR_REQUIRED_MESSAGE);
  return s;
}

/**
 * The scope a route needs from a token, read off its limit row ("GET /api/rooms"): GET reads, the
 * admin console's routes need `admin`, anything else `write`.
 *
 * Nothing a token does may outlive its revocation or widen its own reach, so these are for a browser
 * session only: the account's security routes (password, two-factor, devices, sign-in methods,
 * tokens: a token can neither mint more tokens nor lock its owner out), bots (creating one, its
 * tokens, its profile) and webhooks (a hook URL is a credential; an outgoing hook copies messages
 * out). Making invite links (a way in that lasts) needs the `admin` scope.
 */
function tokenScopeFor(limit: RequestKind | undefined): TokenScope | null {
  if (!limit) return "read";
  const [method = "GET", path = ""] = limit.split(" ");
  if (
    /^\/api\/account\/(password|sign-out-everywhere|two-factor|sessions|sign-in-methods|sso-logout|tokens)/.test(
      path,
    ) ||
    /^\/api\/(bots|webhooks)(\/|$)/.test(path)
  )
    return null;
  if (path.startsWith("/api/admin") || path.startsWith("/api/v1/admin")) return "admin";
  if (path.startsWith("/api/invites") && method !== "GET" && !path.endsWith("/accept")) return "admin";
  return method === "GET" || method === "HEAD" ? "read" : "write";
}

/** An API request authenticated by a personal access token: its user, scope-checked, rate-limited like a session. */
async function tokenSessionFrom(
  token: string,
  ip: string,
  limit?: RequestKind,
): Promise<{ user: SessionUser; sid: string; token: { id: string; scopes: TokenScope[] } }> {
  const scope = tokenScopeFor(limit);
  // The budget is spent before the database is asked (per token: a wrong token costs one counter).
  if (limit) await limits().consume(limit, tokenLimitKey(token));
  let auth: Awaited<ReturnType<typeof authenticateToken>>;
  try {
    auth = await authenticateToken(token, ip);
  } catch (err) {
    log.error({ err }, "token lookup failed");
    throw sessionUnavailable();
  }
  if (!auth) throw new AppError("unauthorized", "This token is not valid (unknown, expired or revoked)");
  if (!scope) throw new AppError("forbidden", "This needs a signed-in browser session, not an API token");
  requireScope(auth, scope);
  // The admin scope acts only while the token's user is still an admin.
  if (scope === "admin" && !isAdmin(auth.user.role))
    throw new AppError("forbidden", "Only admins can do that");
  const { isBot: _bot, ...user } = auth.user;
  return { user, sid: tokenSid(auth.tokenId), token: { id: auth.tokenId, scopes: auth.scopes } };
}

/** For API routes given a request's session: the signed-in user, or a 401 AppError (503 when the lookup fails). */
export async function apiUserFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<SessionUser> {
  return (await apiSessionFrom(src, secret, limit)).user;
}

function sourceOf(cookieJar: Record<string, string>, h: Headers): SessionSource {
  return {
    cookies: cookieJar,
    bearer: bearerToken(h.get("authorization")),
    client: { userAgent: (h.get("user-agent") ?? "").slice(0, 512), ip: clientIp(h) },
  };
}

function sessionSecret(): string {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new AppError("unavailable", "Sign-in is not configured on this server");
  return secret;
}

/** The cookies of the request being served (route handler or server component). */
async function requestSession(): Promise<{ src: SessionSource; secret: string }> {
  const secret = sessionSecret();
  const [c, h] = await Promise.all([cookies(), headers()]);
  return { src: sourceOf(Object.fromEntries(c.getAll().map((x) => [x.name, x.value])), h), secret };
}

/** A Cookie header as name → value (the first of a repeated name wins, like the cookie stores do). */
function parseCookieHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || Object.hasOwn(out, name)) continue;
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/**
 * Like requireApiSession, read off the Request a route handler was given instead of next/headers:
 * the REST API v1 (lib/http/v1) authenticates this way, so its handlers run the same with or
 * without a Next request scope. A bearer token needs no session secret.
 */
export async function requireApiSessionOf(
  req: Request,
  limit: RequestKind,
): Promise<{ user: SessionUser; sid: string; token?: { id: string; scopes: TokenScope[] } }> {
  const src = sourceOf(parseCookieHeader(req.headers.get("cookie")), req.headers);
  return apiSessionFrom(src, src.bearer ? (env().NEXTAUTH_SECRET ?? "") : sessionSecret(), limit);
}

export async function currentUser(): Promise<SessionUser | null> {
  const { src, secret } = await requestSession();
  return sessionUserFrom(src, secret);
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/**
 * For API routes: the signed-in user, or a 401 AppError (503 when the lookup itself fails, 429 when
 * the user is over `limit`, the route's row in lib/ratelimit/limits.ts: every signed-in route has one).
 */
export async function requireApiUser(limit: RequestKind): Promise<SessionUser> {
  const { src, secret } = await requestSession();
  return apiUserFrom(src, secret, limit);
}

/** For API routes that act on the session itself ("Your devices"): the user and this session's id. */
export async function requireApiSession(
  limit: RequestKind,
): Promise<{ user: SessionUser; sid: string; token?: { id: string; scopes: TokenScope[] } }> {
  const { src, secret } = await requestSession();
  return apiSessionFrom(src, secret, limit);
}

/** For pages that show the session itself: the signed-in user and this session's id, or null. */
export async function currentSession(): Promise<{ user: SessionUser; sid: string } | null> {
  const { src, secret } = await requestSession();
  return sessionFrom(src, secret);
}
