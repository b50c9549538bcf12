// A database of this test file's own (fresh, migrated): for tests that need an empty workspace (the
// first account) or change workspace-wide settings that other files running at the same time would see.
import pg from "pg";
import { disconnectDb } from "@/lib/db/client";
import { ensureDatabase, migrate } from "@/lib/db/migrator";

export function ownDatabase(prefix: string) {
  const name = `beacon_${prefix}_${process.pid}_${Date.now()}`;
  const u = new URL(process.env.TEST_SERVER_URL as string);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    url,
    async open(): Promise<void> {
      await ensureDatabase(url);
      await migrate(url);
      await disconnectDb();
      process.env.DATABASE_URL = url; // the app's pool opens on this database from now on
    },
    async drop(): Promise<void> {
      await disconnectDb();
      const admin = new URL(url);
      admin.pathname = "/postgres";
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}
