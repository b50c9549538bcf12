// Session-token decoding with the encryption key derived once per secret. next-auth v4's own decode
// runs HKDF on every call: about 120 µs of CPU on each socket handshake and page load, the largest
// single cost of a handshake in the bench profile. This is the same decryption as next-auth's
// (JWE "dir" + A256GCM, key = HKDF-SHA256 of the secret, 15 s clock tolerance), so tokens that
// next-auth encodes read the same; only the derived key is kept. Used by the sign-in options (pages,
// route handlers) and by the socket handshake.
import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { getToken, type JWT, type JWTDecodeParams } from "next-auth/jwt";
import type { SessionRef } from "@/lib/users/users.service";

/** Derived keys by salt and secret (a deployment has one secret; the map is bounded anyway). */
const keys = new Map<string, Uint8Array>();
/** A short id per derived key, for the decrypted-token cache (keys are never compared by content). */
const keyIds = new WeakMap<Uint8Array, number>();
let nextKeyId = 0;

function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
  const id = `${salt}\u0000${typeof secret === "string" ? secret : secret.toString("base64")}`;
  let key = keys.get(id);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
    keyIds.set(key, nextKeyId++);
  }
  return key;
}

/** Clock tolerance of the expiry check, as next-auth's (seconds). */
const CLOCK_TOLERANCE_S = 15;

/**
 * Tokens decrypted lately, by key and token: a reconnect storm brings every tab of a browser back
 * with the same cookie (the bench: 20 tabs per session), and each decryption is ~100 µs of CPU.
 * Only tokens that decrypted are kept (a forged one costs its decryption every time), at most
 * DECODED_MAX, least recently used out first. A kept token still expires on time: its `exp` and
 * `nbf` are checked again on every use.
 */
const decoded = new Map<string, JWT>();
const DECODED_MAX = 2_048;

function stillValid(payload: JWT, nowS: number): boolean {
  const { exp, nbf } = payload as { exp?: unknown; nbf?: unknown };
  if (typeof exp === "number" && exp + CLOCK_TOLERANCE_S < nowS) return false;
  if (typeof nbf === "number" && nbf - CLOCK_TOLERANCE_S > nowS) return false;
  return true;
}

/** next-auth's `jwt.decode`: the token's claims, or a thrown error when it does not decrypt or expired. */
export async function decodeSessionToken({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const key = encryptionKey(secret, salt);
  const id = `${keyIds.get(key)}\u0000${token}`;
  const kept = decoded.get(id);
  if (kept) {
    decoded.delete(id);
    if (stillValid(kept, Date.now() / 1000)) {
      decoded.set(id, kept); // most recently used last
      // A copy: next-auth's callbacks may change the token they are given.
      return structuredClone(kept);
    }
  }
  const { payload } = await jwtDecrypt(token, key, { clockTolerance: CLOCK_TOLERANCE_S });
  if (decoded.size >= DECODED_MAX) {
    const oldest = decoded.keys().next().value;
    if (oldest !== undefined) decoded.delete(oldest);
  }
  decoded.set(id, structuredClone(payload) as JWT);
  return payload as JWT;
}

/**
 * The user id, session version and session id in a request's session cookie, or null when it has none that
 * decrypts (missing, forged, expired). The one reading of the cookie for pages, route handlers and
 * the socket handshake. Like next-auth's own endpoints: only the cookie counts (never an
 * `Authorization: Bearer` header), and its name is the one next-auth sets for this deployment
 * (`__Secure-` prefixed when NEXTAUTH_URL is https), so a plain cookie planted over HTTP is not read.
 */
export async function sessionClaims(
  cookies: Record<string, string>,
  secret: string,
): Promise<SessionRef | null> {
  // getToken needs { headers, cookies } with cookies already parsed (docs/architecture.md); it
  // reassembles chunked cookies.
  const req = { headers: {}, cookies } as unknown as Parameters<typeof getToken>[0]["req"];
  const token = await getToken({ req, secret, decode: decodeSessionToken }).catch(() => null);
  if (!token || typeof token.uid !== "string") return null;
  return { uid: token.uid, sv: token.sv, sid: token.sid };
}

/**
 * The key a session's request budgets are counted under: one sign-in, not the whole account, so a
 * signed-out (revoked) copy of a cookie cannot spend the budgets of its owner's live sessions.
 */
export function sessionKey(claims: SessionRef): string {
  return `${claims.uid}:${typeof claims.sid === "string" ? claims.sid : "-"}`;
}
