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

function encryptionKey(secret: string | Buffer, salt: string): Uint8Array {
  const id = `${salt}\u0000${typeof secret === "string" ? secret : secret.toString("base64")}`;
  let key = keys.get(id);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Uint8Array(hkdfSync("sha256", secret, salt, info, 32));
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** next-auth's `jwt.decode`: the token's claims, or a thrown error when it does not decrypt or expired. */
export async function decodeSessionToken({ token, secret, salt = "" }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, encryptionKey(secret, salt), { clockTolerance: 15 });
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
