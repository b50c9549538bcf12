// Small signed cookies for the steps of an OAuth sign-in that span requests: the identity waiting
// for a username choice (pending) and a signed-in user's intent to link a provider (link). HMAC
// with a key of their own derived from NEXTAUTH_SECRET per purpose: never a session token's key, so
// neither can stand in for a session cookie (or for each other).
import { createHmac, timingSafeEqual } from "node:crypto";

export type CookiePurpose = "pending" | "link";

export const COOKIE_NAMES: Record<CookiePurpose, string> = {
  pending: "beacon.oauth-pending",
  link: "beacon.oauth-link",
};

/** Ten minutes to choose a username or finish linking. */
export const STEP_MAX_AGE = 600;

function mac(secret: string, purpose: CookiePurpose, body: string): Buffer {
  const key = createHmac("sha256", secret).update(`beacon:${purpose}`).digest();
  return createHmac("sha256", key).update(body).digest();
}

export function sealCookie(secret: string, purpose: CookiePurpose, data: object, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...data, exp: now + STEP_MAX_AGE * 1000 })).toString("base64url");
  return `${body}.${mac(secret, purpose, body).toString("base64url")}`;
}

/** The sealed object, or null when the value is missing, forged, for another purpose or expired. */
export function openCookie<T extends object>(
  secret: string,
  purpose: CookiePurpose,
  value: string | undefined,
  now = Date.now(),
): T | null {
  if (!value) return null;
  const [body, sig, extra] = value.split(".");
  if (!body || !sig || extra !== undefined) return null;
  const want = mac(secret, purpose, body);
  const got = Buffer.from(sig, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) return null;
  try {
    const data = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as { exp?: unknown };
    if (typeof data.exp !== "number" || data.exp < now) return null;
    return data as T;
  } catch {
    return null;
  }
}

/** A Set-Cookie value: httpOnly, Lax (it must come back on the provider's redirect), Secure on https. */
export function setCookieHeader(purpose: CookiePurpose, value: string | null, secure: boolean): string {
  const parts = [
    `${COOKIE_NAMES[purpose]}=${value ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${value ? STEP_MAX_AGE : 0}`,
  ];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}
