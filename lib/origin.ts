// Same-origin checks for socket handshakes and state-changing HTTP requests (cross-site WebSocket
// hijacking and CSRF): the request's Origin must be the app's own origin or in ALLOWED_ORIGINS.
import type { IncomingHttpHeaders } from "node:http";
import { env } from "@/lib/env";

/** The origin this request was addressed to (Host header; the scheme from the proxy when trusted). */
export function ownOrigin(headers: IncomingHttpHeaders, trustProxy: boolean): string | null {
  const host = (trustProxy ? headers["x-forwarded-host"] : undefined) ?? headers.host;
  if (typeof host !== "string" || !host) return null;
  const proto =
    trustProxy && typeof headers["x-forwarded-proto"] === "string" ? headers["x-forwarded-proto"] : "http";
  return `${proto.split(",")[0]?.trim()}://${host}`;
}

/**
 * True when the Origin header is acceptable. No Origin at all (curl, bots, server-to-server) is
 * allowed: browsers always send one on cross-site requests, which is what this guards against.
 */
export function originAllowed(
  headers: IncomingHttpHeaders,
  allowed: readonly string[],
  trustProxy: boolean,
): boolean {
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === "null") return false;
  const own = ownOrigin(headers, trustProxy);
  const publicUrl = env().NEXTAUTH_URL;
  const configured = [...allowed, ...(publicUrl ? [new URL(publicUrl).origin] : [])];
  if (own && (origin === own || origin === own.replace(/^http:/, "https:"))) return true;
  return configured.includes(origin);
}

/** The client's address as server.ts recorded it (X-Beacon-Client-IP is set by us, never trusted from outside). */
export function clientIp(headers: Headers | IncomingHttpHeaders | Record<string, unknown>): string {
  const h = headers as Headers;
  const v =
    typeof h.get === "function"
      ? h.get("x-beacon-client-ip")
      : (headers as Record<string, unknown>)["x-beacon-client-ip"];
  return typeof v === "string" && v ? v : "unknown";
}
