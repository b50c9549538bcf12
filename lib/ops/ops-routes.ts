// Operational endpoints answered before Next: /api/ready (can this node take traffic?) and
// /api/metrics (Prometheus text; bearer token, or loopback callers that did not come via a proxy).

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";
import { pendingMigrations } from "@/lib/db/migrator";
import type { SharedState } from "@/lib/realtime/shared-state";
import { metrics } from "./metrics";

export interface OpsContext {
  databaseUrl: string;
  state: SharedState;
  metricsToken?: string;
  isShuttingDown(): boolean;
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  res.writeHead(status, { "content-type": type, "cache-control": "no-store" });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(url: string): Promise<{ db: string; migrations: string }> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await withTimeout(c.connect(), 2000);
    await c.query("SELECT 1");
  } catch {
    return { db: "unreachable", migrations: "unknown" };
  } finally {
    await c.end().catch(() => {});
  }
  const pending = await withTimeout(pendingMigrations(url), 2000).catch(() => null);
  return { db: "ok", migrations: pending === null ? "unknown" : pending.length === 0 ? "ok" : "pending" };
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
      checkDatabase(ctx.databaseUrl),
      ctx.state.kind === "redis"
        ? withTimeout(ctx.state.ping(), 2000).catch(() => false)
        : Promise.resolve(null),
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
