// Who is signed in, for server components and route handlers (sockets:
// lib/realtime/server/socket-auth.ts).
// We read the session cookie ourselves instead of through getServerSession: next-auth catches any
// error thrown while it checks a session and answers "no session", so a database outage would look
// like everyone signed out (401s, redirects to /signin). Here "no such user / session revoked" is
// null, and a failed lookup is an `unavailable` AppError (503 for API routes).

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { sessionClaims, sessionKey } from "@/lib/auth/jwt";
import { env } from "@/lib/env";
import { AppError, UNAVAILABLE_DIGEST } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { limits, type RequestKind } from "@/lib/ratelimit/limits";
import type { SessionUser } from "@/lib/users/users.schema";
import { getSessionUser } from "@/lib/users/users.service";

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

/** What a session read needs from a request: its cookies, parsed. */
export interface SessionSource {
  cookies: Record<string, string>;
}

/**
 * The signed-in user of a request: null when there is no valid session or it was revoked (user gone,
 * password changed, signed out); throws an `unavailable` AppError when the user cannot be looked up. With
 * `limit`, spends one point of that route's budget for the token's user first (rate_limited when
 * out), so a limited request never reaches the database.
 */
export async function sessionUserFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<SessionUser | null> {
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
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

/** For API routes given a request's session: the signed-in user, or a 401 AppError (503 when the lookup fails). */
export async function apiUserFrom(
  src: SessionSource,
  secret: string,
  limit?: RequestKind,
): Promise<SessionUser> {
  const user = await sessionUserFrom(src, secret, limit);
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}

/** The cookies of the request being served (route handler or server component). */
async function requestSession(): Promise<{ src: SessionSource; secret: string }> {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new AppError("unavailable", "Sign-in is not configured on this server");
  const c = await cookies();
  const src: SessionSource = { cookies: Object.fromEntries(c.getAll().map((x) => [x.name, x.value])) };
  return { src, secret };
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
