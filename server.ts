// Beacon's one process: Next.js pages + API and Socket.IO on the same port; database up before, down after.
import { createServer } from "node:http";
import next from "next";
import { prepareDatabase } from "@/lib/db/bootstrap";
import { disconnectDb } from "@/lib/db/client";
import { dataDir, env, reloadEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { drainHandlers } from "@/lib/realtime/handler";
import { createRealtimeServer } from "@/lib/realtime/server";
import { loadOrCreateSecrets } from "@/lib/secrets";

const log = logger.child({ module: "server" });

async function main(): Promise<void> {
  const started = Date.now();
  const e = env();
  const dev = e.NODE_ENV !== "production";

  if (!e.NEXTAUTH_SECRET) process.env.NEXTAUTH_SECRET = (await loadOrCreateSecrets(dataDir())).nextauthSecret;
  const database = await prepareDatabase();
  process.env.DATABASE_URL = database.url;
  const config = reloadEnv();
  const secret = config.NEXTAUTH_SECRET as string;

  const app = next({ dev, hostname: config.HOST, port: config.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();

  const httpServer = createServer((req, res) => {
    void handle(req, res);
  });
  const io = createRealtimeServer(httpServer, { secret });

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const addr = httpServer.address();
  const port = typeof addr === "object" && addr ? addr.port : config.PORT;
  process.env.NEXTAUTH_URL ??= `http://localhost:${port}`;
  log.info(
    { port, host: config.HOST, embeddedDb: database.embedded, ms: Date.now() - started },
    `Beacon ready on http://localhost:${port}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = setTimeout(() => {
      log.error("shutdown took too long; exiting");
      process.exit(1);
    }, 10_000);
    deadline.unref();
    log.info({ signal }, "shutting down");
    httpServer.close(); // stop accepting connections
    const drained = await drainHandlers(config.SHUTDOWN_TIMEOUT_MS / 2);
    if (!drained) log.warn("socket handlers still running at shutdown");
    io.disconnectSockets(true);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    httpServer.closeAllConnections();
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
