// Operational endpoints answered before Next: /api/ready (can this node take traffic?) and
// /api/metrics (Prometheus text; bearer token, or loopback callers that did not come via a proxy).

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { SharedState } from "@/lib/state/shared-state";
import { metrics } from "./metrics";
import { cachedCheck, databaseStatus, withTimeout } from "./readiness";

export interface OpsContext {
  state: SharedState;
  metricsToken?: string;
  isShuttingDown(): boolean;
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

// Redis is pinged on the shared connection, and like the database at most once a second.
let redisPing: (() => Promise<boolean>) | undefined;
function redisOk(state: SharedState): Promise<boolean> {
  redisPing ??= cachedCheck(() => withTimeout(state.ping(), 2000).catch(() => false));
  return redisPing();
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function isLoopback(req: IncomingMessage): boolean {
  const addr = req.socket.remoteAddress ?? "";
  const direct = addr === "127.0.0.1" || addr === "::1" || addr === "::ffff:127.0.0.1";
  // A request relayed by a local reverse proxy is not a local caller.
  return direct && !req.headers["x-forwarded-for"] && !req.headers["x-real-ip"];
}

/** Handles the ops endpoints; returns false for every other request. */
export async function handleOps(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: OpsContext,
): Promise<boolean> {
  const path = (req.url ?? "").split("?")[0];
  if (path === "/api/ready") {
    if (ctx.isShuttingDown()) {
      send(res, 503, { status: "draining" });
      return true;
    }
    const [database, redis] = await Promise.all([
      databaseStatus(),
      ctx.state.kind === "redis" ? redisOk(ctx.state) : Promise.resolve(null),
    ]);
    const body = {
      status: "ok",
      db: database.db,
      migrations: database.migrations,
      redis: redis === null ? "not configured" : redis ? "ok" : "unreachable",
    };
    const ok = database.db === "ok" && database.migrations === "ok" && redis !== false;
    send(res, ok ? 200 : 503, { ...body, status: ok ? "ok" : "unavailable" });
    return true;
  }
  if (path === "/api/metrics") {
    const allowed = ctx.metricsToken
      ? tokenMatches(req.headers.authorization, ctx.metricsToken)
      : isLoopback(req);
    if (!allowed) {
      send(res, 403, {
        error: {
          code: "forbidden",
          message: "Metrics need METRICS_TOKEN (Bearer) or a direct local request",
        },
      });
      return true;
    }
    const registry = metrics().registry;
    send(res, 200, await registry.metrics(), registry.contentType);
    return true;
  }
  return false;
}
