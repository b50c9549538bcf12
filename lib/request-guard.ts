// What server.ts does to every HTTP request before Next.js or the ops routes see it: record the client
// address for rate limits, refuse cross-site state changes, and add Strict-Transport-Security.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { logger } from "@/lib/logger";
import { originAllowed } from "@/lib/origin";

export interface GuardConfig {
  TRUST_PROXY: boolean;
  ALLOWED_ORIGINS: readonly string[];
  NEXTAUTH_URL?: string;
}

/** One year; the browser then refuses plain http for this host (nginx sends the same). */
export const HSTS = "max-age=31536000; includeSubDomains";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** True when the browser reached us over https: through a trusted proxy that says so, or by config. */
export function cameOverHttps(req: IncomingMessage, config: GuardConfig): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (config.NEXTAUTH_URL?.startsWith("https:")) return true;
  const proto = req.headers["x-forwarded-proto"];
  return config.TRUST_PROXY && typeof proto === "string" && proto.split(",")[0]?.trim() === "https";
}

/**
 * The per-server guard: `(req, res) => false` when it has answered the request itself (refused).
 * Holds the once-per-process "X-Forwarded-For without TRUST_PROXY" warning.
 */
export function createRequestGuard(
  config: GuardConfig,
  log: Logger = logger.child({ module: "http" }),
): (req: IncomingMessage, res: ServerResponse) => boolean {
  let warnedForwarded = false;
  return (req, res) => {
    // The client address for rate limits, set here only (an incoming value is never trusted).
    // Behind one trusted proxy, the last X-Forwarded-For entry is the one it appended (the peer it
    // saw); anything to its left was sent by the client and cannot be trusted.
    const xff = req.headers["x-forwarded-for"] as string | undefined;
    const forwarded = config.TRUST_PROXY ? xff?.split(",").at(-1)?.trim() : undefined;
    req.headers["x-beacon-client-ip"] = forwarded || req.socket.remoteAddress || "unknown";
    if (xff !== undefined && !config.TRUST_PROXY && !warnedForwarded) {
      // Behind a proxy without TRUST_PROXY every client has the proxy's address: one client's failed
      // sign-ins or sign-ups would then spend everyone's budget. Said once, on the first such request.
      warnedForwarded = true;
      log.warn(
        { remoteAddress: req.socket.remoteAddress },
        "request with X-Forwarded-For but TRUST_PROXY is off: if Beacon is behind a reverse proxy, set TRUST_PROXY=true, or every client shares the proxy's address for rate limits",
      );
    }
    if (cameOverHttps(req, config)) res.setHeader("strict-transport-security", HSTS);
    // Cross-site requests may not change anything, whatever the path: Next.js normalizes paths
    // (`/./api/rooms`, `//api/rooms`, `/api/../api/rooms`, percent-encoded dots), so a check on the
    // raw path can be walked around. Same-origin requests (the app's own, next-auth's included,
    // which also carry its CSRF token) and requests without an Origin (curl, bots) pass.
    if (
      !SAFE_METHODS.has(req.method ?? "GET") &&
      !originAllowed(req.headers, config.ALLOWED_ORIGINS, config.TRUST_PROXY)
    ) {
      res.writeHead(403, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: { code: "forbidden", message: "Cross-site request refused" } }));
      return false;
    }
    return true;
  };
}
