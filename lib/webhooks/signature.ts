// Standard Webhooks signatures (https://www.standardwebhooks.com): outgoing webhooks and slash
// commands sign every request with the hook's secret, and receivers verify it the same way.
// Headers: `webhook-id` (the same on every retry of one event), `webhook-timestamp` (seconds) and
// `webhook-signature`: "v1," + base64(HMAC-SHA256(key, `${id}.${timestamp}.${body}`)), where key is
// the base64 part of the secret after "whsec_".
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "whsec_";

/** A new secret in the spec's format: "whsec_" + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString("base64");
}

function key(secret: string): Buffer {
  return Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, "base64");
}

/** The `webhook-signature` header value for one request. */
export function signWebhook(secret: string, id: string, timestampS: number, body: string): string {
  return `v1,${createHmac("sha256", key(secret)).update(`${id}.${timestampS}.${body}`).digest("base64")}`;
}

/** The three headers of a signed request. */
export function webhookHeaders(
  secret: string,
  id: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": signWebhook(secret, id, ts, body),
  };
}

/**
 * Verify a received request (what a receiver does; Beacon's tests and examples use it). The
 * signature header may list several space-separated signatures; any valid v1 one passes. The
 * timestamp must be within `toleranceS` of now (replays of old requests are refused).
 */
export function verifyWebhook(
  secret: string,
  headers: { id: string | undefined; timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowMs = Date.now(),
  toleranceS = 300,
): boolean {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return false;
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowMs / 1000 - ts) > toleranceS) return false;
  const want = Buffer.from(signWebhook(secret, id, ts, body).slice(3), "base64");
  return signature.split(" ").some((sig) => {
    if (!sig.startsWith("v1,")) return false;
    const got = Buffer.from(sig.slice(3), "base64");
    return got.length === want.length && timingSafeEqual(got, want);
  });
}
