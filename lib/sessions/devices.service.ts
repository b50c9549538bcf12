// "Your devices" (issue 17, item 5): each signed-in session (the JWT's sid) has a row with where it
// signed in and when it was last seen. Ending one revokes its sid (sessions.service.ts) and deletes
// the row; the caller closes its sockets on every node (registry.ts endSessionSockets).
//
// Last seen: `touchSession` runs on every page, API and socket authentication, never awaited and at
// most once a minute per session per process (an in-memory throttle, so most requests send nothing);
// the statement itself only writes when the stored time is a minute old.
import { z } from "zod";
import { db, prepared } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, parseOrThrow } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { type Device, sessionIdSchema } from "./sessions.schema";
import { revokeSession } from "./sessions.service";
import { parseUserAgent } from "./user-agent";

const log = logger.child({ module: "devices" });

export const TOUCH_INTERVAL_MS = 60_000;

export interface SessionInfo {
  sid: string;
  userId: string;
  sessionVersion: number;
  userAgent: string;
  ip: string;
}

const clip = (s: string, n: number) => s.slice(0, n);

/** Record a session as it signs in (the jwt callback, lib/auth/options.ts). */
export async function recordSession(s: SessionInfo): Promise<void> {
  const data = {
    userId: s.userId,
    sessionVersion: s.sessionVersion,
    userAgent: clip(s.userAgent, 512),
    ip: clip(s.ip, 64),
  };
  await db().session.upsert({ where: { sid: s.sid }, create: { sid: s.sid, ...data }, update: {} });
  lastTouch.set(s.sid, Date.now());
}

const TOUCH = `INSERT INTO "Session" (sid, "userId", "sessionVersion", "userAgent", ip)
  VALUES ($1, $2::uuid, $3, $4, $5)
  ON CONFLICT (sid) DO UPDATE SET "lastSeenAt" = CURRENT_TIMESTAMP
  WHERE "Session"."lastSeenAt" < CURRENT_TIMESTAMP - interval '1 minute'`;

const lastTouch = new Map<string, number>();

/**
 * Mark a live session as seen now, at most once a minute; fire and forget (never on a request's
 * critical path). Inserts the row when it is missing (a session that signed in before this table).
 * Returns whether a statement was sent (for tests and the measurement).
 */
export function touchSession(s: SessionInfo, nowMs = Date.now()): boolean {
  if (!sessionIdSchema.safeParse(s.sid).success) return false;
  const last = lastTouch.get(s.sid);
  if (last !== undefined && nowMs - last < TOUCH_INTERVAL_MS) return false;
  if (lastTouch.size >= 50_000) lastTouch.clear(); // bounded; the statement is the real guard
  lastTouch.set(s.sid, nowMs);
  prepared("beacon_session_touch", TOUCH, [
    s.sid,
    s.userId,
    s.sessionVersion,
    clip(s.userAgent, 512),
    clip(s.ip, 64),
  ]).catch((err: unknown) => log.warn({ err }, "could not update a session's last seen time"));
  return true;
}

/** My live sessions, most recently seen first; `currentSid` is marked "this device". */
export async function listDevices(actor: { id: string }, currentSid: string): Promise<Device[]> {
  const maxAgeMs = env().SESSION_MAX_AGE * 1000;
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { sessionVersion: true },
  });
  const rows = await db().session.findMany({
    where: {
      userId: actor.id,
      sessionVersion: user.sessionVersion,
      // A token lives at most maxAge past its last renewal; a session unseen that long has expired.
      lastSeenAt: { gt: new Date(Date.now() - maxAgeMs) },
    },
    orderBy: { lastSeenAt: "desc" },
    take: 100,
  });
  const revoked = new Set(
    (
      await db().revokedSession.findMany({
        where: { sid: { in: rows.map((r) => r.sid) } },
        select: { sid: true },
      })
    ).map((r) => r.sid),
  );
  return rows
    .filter((r) => !revoked.has(r.sid))
    .map((r) => ({
      sid: r.sid,
      ...parseUserAgent(r.userAgent),
      ip: r.ip,
      createdAt: r.createdAt.toISOString(),
      lastSeenAt: r.lastSeenAt.toISOString(),
      current: r.sid === currentSid,
    }))
    .sort((a, b) => Number(b.current) - Number(a.current));
}

const endDeviceSchema = z.strictObject({ sid: sessionIdSchema });

async function end(userId: string, sid: string): Promise<void> {
  await revokeSession({ sid, uid: userId }, env().SESSION_MAX_AGE);
  await db().session.deleteMany({ where: { sid, userId } });
  lastTouch.delete(sid);
}

/** Sign out one of my other sessions. Someone else's sid is `not_found`, like one that never was. */
export async function endDevice(actor: { id: string }, currentSid: string, input: unknown): Promise<string> {
  const { sid } = parseOrThrow(endDeviceSchema, input);
  if (sid === currentSid)
    throw new AppError("bad_request", "That is this device: use Sign out in the menu to sign out here");
  const row = await db().session.findUnique({ where: { sid }, select: { userId: true } });
  if (!row || row.userId !== actor.id) throw new AppError("not_found", "No such session");
  await end(actor.id, sid);
  log.info({ uid: actor.id }, "device signed out");
  return sid;
}

/** Sign out every other session of mine (this one stays); the sids that were ended. */
export async function endOtherDevices(actor: { id: string }, currentSid: string): Promise<string[]> {
  const rows = await db().session.findMany({
    where: { userId: actor.id, NOT: { sid: currentSid } },
    select: { sid: true },
  });
  for (const r of rows) await end(actor.id, r.sid);
  log.info({ uid: actor.id, n: rows.length }, "every other device signed out");
  return rows.map((r) => r.sid);
}
