// The session id (`sid`) each session token carries from sign-in: what a sign-out revokes.
import { z } from "zod";

/** 128 random bits, base64url (lib/sessions/sessions.service.ts `newSessionId`). */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, "not a session id");

/** One signed-in session as "Your devices" lists it (lib/sessions/devices.service.ts). */
export interface Device {
  sid: string;
  browser: string;
  os: string;
  ip: string;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}
