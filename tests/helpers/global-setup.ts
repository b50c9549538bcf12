// One PostgreSQL for the whole unit/integration run: TEST_DATABASE_URL when given (CI points it at
// the machine's server), otherwise an embedded one in a temp dir. Each run gets a fresh database.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrator";

let embedded: EmbeddedPostgres | undefined;
let tmp: string | undefined;
let dropUrl: string | undefined;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function setup(): Promise<void> {
  const name = `beacon_test_${process.pid}_${Date.now()}`;
  let server = process.env.TEST_DATABASE_URL;
  if (!server) {
    tmp = await mkdtemp(path.join(os.tmpdir(), "beacon-test-"));
    embedded = await startEmbeddedPostgres({ dataDir: tmp, password: "test-password" });
    server = embedded.url;
    process.env.TEST_EMBEDDED_PG = "1";
  }
  const url = withDatabase(server, name);
  await ensureDatabase(url);
  await migrate(url);
  process.env.DATABASE_URL = url;
  process.env.TEST_SERVER_URL = server;
  process.env.NEXTAUTH_SECRET = "test-secret-test-secret-test-secret";
  dropUrl = url;
}

export async function teardown(): Promise<void> {
  if (dropUrl && !embedded) {
    // External server: drop this run's database so repeated runs do not pile up.
    const admin = new pg.Client({ connectionString: withDatabase(dropUrl, "postgres") });
    await admin.connect();
    await admin
      .query(`DROP DATABASE IF EXISTS "${new URL(dropUrl).pathname.slice(1)}" WITH (FORCE)`)
      .catch(() => {});
    await admin.end();
  }
  await embedded?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
}
