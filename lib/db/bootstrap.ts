// Brings the database up at boot: embedded PostgreSQL when DATABASE_URL is unset, then create + migrate.
import { dataDir, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { loadOrCreateSecrets } from "@/lib/secrets";
import { startEmbeddedPostgres } from "./embedded";
import { ensureDatabase, migrate } from "./migrator";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const log = logger.child({ module: "db" });

export async function prepareDatabase(): Promise<DatabaseHandle> {
  const e = env();
  let handle: DatabaseHandle;
  if (e.DATABASE_URL) {
    handle = { url: e.DATABASE_URL, embedded: false, stop: async () => {} };
  } else {
    const secrets = await loadOrCreateSecrets(dataDir());
    const started = Date.now();
    const pg = await startEmbeddedPostgres({
      dataDir: dataDir(),
      password: secrets.pgPassword,
      port: e.EMBEDDED_PG_PORT,
      log: (line) => log.debug({ pg: line }),
    });
    log.info({ port: pg.port, ms: Date.now() - started, dir: dataDir() }, "embedded PostgreSQL started");
    handle = { url: pg.url, embedded: true, stop: () => pg.stop() };
  }
  try {
    await ensureDatabase(handle.url);
    const result = await migrate(handle.url, { log: (msg) => log.info(msg) });
    log.info({ applied: result.applied.length }, "database migrations up to date");
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}
