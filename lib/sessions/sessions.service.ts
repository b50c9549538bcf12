// Ending sessions on the server. Sessions are JWTs in a cookie, so a sign-out alone only deletes the
// cookie in one browser; a copy of it (another device, a stolen cookie) would stay valid until it
// expires. Each token carries a random session id (`sid`) from sign-in; signing out records that sid
// as revoked in PostgreSQL (shared by every node), and every session check refuses it
// (lib/users/users.service.ts reads it with the user). "Sign out everywhere" bumps the user's
// session version instead, which ends every token issued before.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { logger } from "@/lib/logger";
import { sessionIdSchema } from "./sessions.schema";

const log = logger.child({ module: "sessions" });

/** A new session id for a token being issued at sign-in. */
export function newSessionId(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Revoke one session, until `maxAgeS` from now: every copy of its token expires by then, since a
 * token is only renewed (by next-auth's session endpoint, for `maxAgeS` more) while its sid is not
 * revoked (lib/auth/options.ts, the jwt callback). Expired rows are pruned here, by later sign-outs:
 * they are indexed by expiry. A token without a valid sid is accepted nowhere: nothing to revoke.
 */
export async function revokeSession(
  token: { sid?: unknown; uid?: unknown },
  maxAgeS: number,
): Promise<boolean> {
  const sid = sessionIdSchema.safeParse(token.sid);
  const uid = z.uuid().safeParse(token.uid);
  if (!sid.success || !uid.success) return false;
  // Plus the decoder's clock tolerance (lib/auth/jwt.ts), with room to spare.
  const expiresAt = new Date(Date.now() + maxAgeS * 1000 + 60_000);
  await db().$transaction([
    db().revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } }),
    db().revokedSession.upsert({
      where: { sid: sid.data },
      create: { sid: sid.data, userId: uid.data, expiresAt },
      update: {},
    }),
  ]);
  log.info({ uid: uid.data }, "session revoked");
  return true;
}

/** True when this sid was signed out (or is not a valid sid at all). */
export async function isSessionRevoked(sid: unknown): Promise<boolean> {
  const parsed = sessionIdSchema.safeParse(sid);
  if (!parsed.success) return true;
  const row = await db().revokedSession.findUnique({ where: { sid: parsed.data }, select: { sid: true } });
  return row !== null;
}

/** End every session of a user, on every device: tokens issued before carry an older session version. */
export async function endAllSessions(userId: string): Promise<void> {
  await db().user.update({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
  log.info({ uid: userId }, "every session ended");
}
