// Who is signed in, for server components and route handlers (sockets use lib/realtime/socket-auth.ts).
// We read the session cookie ourselves instead of through getServerSession: next-auth catches any
// error thrown while it checks a session and answers "no session", so a database outage would look
// like everyone signed out (401s, redirects to /signin). Here "no such user / session revoked" is
// null, and a failed lookup is an `unavailable` AppError (503 for API routes).

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getToken } from "next-auth/jwt";
import { decodeSessionToken } from "@/lib/auth/jwt";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { SessionUser } from "@/lib/users/users.schema";
import { getSessionUser } from "@/lib/users/users.service";

const log = logger.child({ module: "session" });

const SESSION_COOKIE = "next-auth.session-token";

/** The error for a session that could not be checked: the client should retry, not sign in again. */
export function sessionUnavailable(): AppError {
  return new AppError(
    "unavailable",
    "Beacon cannot reach its database right now. Please try again in a moment.",
  );
}

/** What a session read needs from a request: its headers and its cookies, parsed. */
export interface SessionSource {
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

/** The user id and session version in a request's session token, or null when it has none that decrypts. */
export async function sessionClaims(
  src: SessionSource,
  secret: string,
): Promise<{ uid: string; sv: unknown } | null> {
  // The secure-prefixed cookie is the one next-auth sets on HTTPS; accept whichever the browser sent.
  const secureCookie = Object.keys(src.cookies).some((n) => n.startsWith(`__Secure-${SESSION_COOKIE}`));
  const req = src as unknown as Parameters<typeof getToken>[0]["req"];
  // getToken reassembles chunked cookies and returns null for a missing, forged or expired token.
  const token = await getToken({ req, secret, secureCookie, decode: decodeSessionToken }).catch(() => null);
  if (!token || typeof token.uid !== "string") return null;
  return { uid: token.uid, sv: token.sv };
}

/**
 * The signed-in user of a request: null when there is no valid session or it was revoked (user gone,
 * password changed); throws an `unavailable` AppError when the user cannot be looked up.
 */
export async function sessionUserFrom(src: SessionSource, secret: string): Promise<SessionUser | null> {
  const claims = await sessionClaims(src, secret);
  if (!claims) return null;
  let user: Awaited<ReturnType<typeof getSessionUser>>;
  try {
    user = await getSessionUser(claims.uid, claims.sv);
  } catch (err) {
    log.error({ err }, "session lookup failed");
    throw sessionUnavailable();
  }
  if (!user) return null;
  return { id: user.id, username: user.username, displayName: user.displayName };
}

/** For API routes given a request's session: the signed-in user, or a 401 AppError (503 when the lookup fails). */
export async function apiUserFrom(src: SessionSource, secret: string): Promise<SessionUser> {
  const user = await sessionUserFrom(src, secret);
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}

/** The session cookie and headers of the request being served (route handler or server component). */
async function requestSession(): Promise<{ src: SessionSource; secret: string }> {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new AppError("unavailable", "Sign-in is not configured on this server");
  const [h, c] = await Promise.all([headers(), cookies()]);
  const src: SessionSource = {
    headers: Object.fromEntries(h),
    cookies: Object.fromEntries(c.getAll().map((x) => [x.name, x.value])),
  };
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

/** For API routes: the signed-in user, or a 401 AppError (503 when the lookup itself fails). */
export async function requireApiUser(): Promise<SessionUser> {
  const { src, secret } = await requestSession();
  return apiUserFrom(src, secret);
}
