// Encryption at rest for small secrets (TOTP secrets) and the pepper of recovery-code hashes. The
// keys are derived (HKDF-SHA256) from NEXTAUTH_SECRET, generated into DATA_DIR/secrets.json when
// unset: a database dump alone does not reveal any TOTP secret. Changing NEXTAUTH_SECRET makes the
// stored secrets unreadable (two-factor users then sign in with a recovery code, or an admin resets).
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

const keys = new Map<string, Buffer>();

function derived(purpose: string): Buffer {
  const secret = env().NEXTAUTH_SECRET;
  if (!secret) throw new Error("NEXTAUTH_SECRET is not set");
  const id = `${purpose}\u0000${secret}`;
  let key = keys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "beacon", `Beacon ${purpose}`, 32));
    if (keys.size > 16) keys.clear();
    keys.set(id, key);
  }
  return key;
}

/** AES-256-GCM: "v1.<iv>.<tag>.<ciphertext>" (base64url), bound to `context` (e.g. the user id). */
export function seal(plain: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", derived("secret box"), iv);
  cipher.setAAD(Buffer.from(context));
  const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), ct]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

/** The plain text of `seal(…, context)`; throws when it was tampered with or sealed for another context. */
export function open(sealed: string, context: string): string {
  const [v, iv, tag, ct] = sealed.split(".");
  if (v !== "v1" || !iv || !tag || ct === undefined) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", derived("secret box"), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
}

/** A keyed hash (SHA-256 over a derived pepper) for high-entropy one-time codes. */
export function pepperedHash(value: string, purpose: string): string {
  return createHash("sha256").update(derived(purpose)).update(value).digest("base64url");
}

/** HMAC key for short-lived signed tokens (the two-factor sign-in challenge). */
export function signingKey(purpose: string): Buffer {
  return derived(purpose);
}
