// Every HTTP request, before Next.js sees it, in one place (server.ts only hands it Next's handler):
// a request id, the client address for rate limits, refusal of cross-site state changes,
// Strict-Transport-Security, the access log, the ops routes (lib/ops/ops-routes.ts), and a JSON 500
// when anything after that throws.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { logger } from "@/lib/logger";
import { handleOps, type OpsContext } from "@/lib/ops/ops-routes";
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

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<unknown> | undefined;

export interface PipelineOptions {
  config: GuardConfig;
  /** What the ops routes (/api/ready, /api/metrics) need. */
  ops: OpsContext;
  /** Everything else: Next's request handler. */
  next: RequestHandler;
  log?: Logger;
}

/** A caller's id is kept (to follow one request through a proxy's logs too), at most this long. */
const MAX_REQUEST_ID = 100;

/** The `node:http` request listener: the steps above, in order, then `next`. */
export function createRequestPipeline(
  opts: PipelineOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const log = opts.log ?? logger.child({ module: "http" });
  const guard = createRequestGuard(opts.config, log);
  return (req, res) => {
    const id = (req.headers["x-request-id"] as string | undefined)?.slice(0, MAX_REQUEST_ID) || randomUUID();
    res.setHeader("x-request-id", id);
    if (!guard(req, res)) return;
    const t = performance.now();
    res.on("finish", () => {
      if (req.url?.startsWith("/_next/static")) return;
      log.info(
        {
          reqId: id,
          method: req.method,
          // An incoming webhook's URL is its credential: never in the log.
          path: req.url?.split("?")[0]?.replace(/^(\/hooks\/[^/]+\/).+$/, "$1…"),
          status: res.statusCode,
          ms: Math.round(performance.now() - t),
        },
        "request",
      );
    });
    void handleOps(req, res, opts.ops)
      .then((done) => (done ? undefined : opts.next(req, res)))
      .catch((err) => {
        log.error({ err, reqId: id }, "request failed");
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side." } }),
        );
      });
  };
}
