// Handshake authentication: the same next-auth session cookie as the pages; no cookie, no socket.
import type { IncomingHttpHeaders } from "node:http";
import { sessionClaims, sessionKey } from "@/lib/auth/jwt";
import { authenticateTokenWithRooms, tokenLimitKey, tokenSid } from "@/lib/tokens/tokens.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { getSessionUserAndRooms, type SessionRef } from "@/lib/users/users.service";

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  if (!header) return out;
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || name === "__proto__") continue;
    try {
      out[name] = decodeURIComponent(part.slice(i + 1).trim());
    } catch {
      out[name] = part.slice(i + 1).trim();
    }
  }
  return out;
}

/** The user a handshake's session cookie belongs to, its session id and the ids of their rooms; or null. */
export async function userFromHandshake(
  headers: IncomingHttpHeaders,
  secret: string,
  /** Runs with the cookie's session key (`uid:sid`) before any database read: the rate limit. */
  beforeLookup?: (sessionKey: string) => Promise<void>,
): Promise<{ user: SessionUser; session: SessionRef & { sid: string }; roomIds: string[] } | null> {
  const claims = await sessionClaims(parseCookies(headers.cookie), secret);
  if (claims && beforeLookup) await beforeLookup(sessionKey(claims));
  const auth = claims ? await getSessionUserAndRooms(claims) : null;
  // A live session always has a valid sid (getSessionUserAndRooms refuses any other).
  return auth && claims ? { ...auth, session: { ...claims, sid: String(claims.sid) } } : null;
}

/**
 * A handshake with `auth: { token }` (an API token, lib/tokens): its user, a session id of the token
 * (`tok_<id>`: a revoke closes its sockets through that channel), scopes and rooms; or null.
 */
export async function userFromHandshakeToken(
  token: string,
  ip: string,
  beforeLookup?: (key: string) => Promise<void>,
): Promise<{
  user: SessionUser;
  sid: string;
  scopes: ("read" | "write" | "admin")[];
  roomIds: string[];
} | null> {
  if (beforeLookup) await beforeLookup(tokenLimitKey(token));
  const auth = await authenticateTokenWithRooms(token, ip);
  if (!auth) return null;
  const { isBot: _bot, ...user } = auth.user;
  return { user, sid: tokenSid(auth.tokenId), scopes: auth.scopes, roomIds: auth.roomIds };
}
