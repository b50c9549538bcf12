// Beacon's one process: Next.js pages + API and Socket.IO on the same port; database (and Redis)
// up before, down after; graceful drain on SIGTERM/SIGINT.
import { existsSync } from "node:fs";
import { createServer } from "node:http";
import next from "next";
import { prepareDatabase } from "@/lib/db/bootstrap";
import { disconnectDb } from "@/lib/db/client";
import { clearBlankEnv, dataDir, env, reloadEnv } from "@/lib/env";
import { startFileSweeper } from "@/lib/files/files.service";
import { storage, storageWarning } from "@/lib/files/storage";
import { createRequestPipeline } from "@/lib/http/pipeline";
import { logger } from "@/lib/logger";
import { RateLimits, setLimits } from "@/lib/ratelimit/limits";
import { drainHandlers } from "@/lib/realtime/server/dispatcher";
import { messageToRoom } from "@/lib/realtime/server/registry";
import { createRealtimeServer } from "@/lib/realtime/server/server";
import { loadOrCreateSecrets } from "@/lib/secrets";
import {
  connectRedis,
  MemoryState,
  RedisState,
  type SharedState,
  setSharedState,
} from "@/lib/state/shared-state";
import { startWebhookWorker } from "@/lib/webhooks/delivery";

const log = logger.child({ module: "server" });

async function main(): Promise<void> {
  const started = Date.now();
  clearBlankEnv(); // `NAME=` means unset: a blank variable must not keep .env from setting it
  if (existsSync(".env")) process.loadEnvFile(".env"); // never overrides variables already set
  clearBlankEnv(); // and the same for `NAME=` lines in .env (next-auth reads process.env itself)
  const e = env();
  const dev = e.NODE_ENV !== "production";

  if (!e.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = (await loadOrCreateSecrets(dataDir())).nextauthSecret;
  const database = await prepareDatabase();
  process.env.DATABASE_URL = database.url;
  const config = reloadEnv();
  const secret = config.NEXTAUTH_SECRET as string;
  const filesWarning = storageWarning(config);
  if (filesWarning) log.warn(filesWarning);
  const state: SharedState = config.REDIS_URL
    ? new RedisState(await connectRedis(config.REDIS_URL), config.REDIS_PREFIX)
    : new MemoryState();
  setSharedState(state); // for route handlers (REST v1 presence), which run in the Next bundle
  setLimits(
    new RateLimits({
      redis: state instanceof RedisState ? state.redis : undefined,
      prefix: config.REDIS_PREFIX,
      scale: config.RATE_LIMIT_SCALE,
    }),
  );

  const app = next({ dev, hostname: config.HOST, port: config.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  clearBlankEnv(); // Next has loaded .env* files into process.env, blank lines included

  let stopping = false;
  // Request id, client address, cross-site refusal, HSTS, access log, ops routes: lib/http/pipeline.ts.
  const httpServer = createServer(
    createRequestPipeline({
      config,
      ops: { state, metricsToken: config.METRICS_TOKEN, isShuttingDown: () => stopping },
      next: handle,
    }),
  );
  const realtime = createRealtimeServer(httpServer, {
    secret,
    state,
    redisPrefix: config.REDIS_PREFIX,
    allowedOrigins: config.ALLOWED_ORIGINS,
    trustProxy: config.TRUST_PROXY,
    maxSocketsPerUser: config.MAX_SOCKETS_PER_USER,
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    // A deep accept queue (the kernel caps it at net.core.somaxconn): under a burst of new
    // connections (1,000 health probes at once) Node's default of 511 overflows and the kernel
    // resets connections it had already completed, before Beacon ever sees them.
    httpServer.listen({ port: config.PORT, host: config.HOST, backlog: 4096 }, resolve);
  });
  // Uploads never sent are removed after 24 h; rows are claimed with SKIP LOCKED, so every node may sweep.
  const stopSweeper = startFileSweeper();
  // Outgoing webhooks: due deliveries are claimed with SKIP LOCKED, so every node may send; a reply
  // message from a receiver reaches its room live through the registry.
  const stopWebhooks = startWebhookWorker({ onReply: (m) => messageToRoom("new", m) });
  const addr = httpServer.address();
  const port = typeof addr === "object" && addr ? addr.port : config.PORT;
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  reloadEnv(); // the origin checks count that default as our own origin too
  log.info(
    {
      port,
      host: config.HOST,
      embeddedDb: database.embedded,
      redis: state.kind === "redis",
      files: storage().driver,
      ms: Date.now() - started,
    },
    `Beacon ready on http://localhost:${port}`,
  );

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, 10_000);
    deadline.unref();
    log.info({ signal }, "shutting down");
    httpServer.close(); // stop accepting connections; /api/ready answers 503 meanwhile
    stopSweeper();
    await stopWebhooks().catch((err) => log.warn({ err }, "stopping the webhook worker failed"));
    const drained = await drainHandlers(config.SHUTDOWN_TIMEOUT_MS / 2);
    if (!drained) log.warn("socket handlers still running at shutdown");
    // Clients reconnect (through the load balancer, to another node) and catch up by seq.
    realtime.io.disconnectSockets(true);
    await realtime.close();
    httpServer.closeAllConnections();
    await state.close();
    await disconnectDb().catch((err) => log.warn({ err }, "closing the database pool failed"));
    await database.stop();
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  log.fatal(
    { err: err instanceof Error ? { message: err.message, stack: err.stack } : err },
    "Beacon failed to start",
  );
  process.exit(1);
});
