import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { alive, startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate, pendingMigrations } from "@/lib/db/migrator";

const server = () => process.env.TEST_SERVER_URL as string;
const created: string[] = [];

afterAll(async () => {
  // On an external server, leave nothing behind.
  const u = new URL(server());
  u.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: u.toString() });
  await admin.connect();
  for (const name of created)
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
  await admin.end();
});
const TSX = path.resolve("node_modules/.bin/tsx");

function dbUrl(name: string): string {
  created.push(name);
  const u = new URL(server());
  u.pathname = `/${name}`;
  return u.toString();
}

async function query(url: string, sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows;
  } finally {
    await c.end();
  }
}

describe("migrator", () => {
  it("creates the database, applies every migration once, and is a no-op afterwards", async () => {
    const url = dbUrl(`beacon_mig_${Date.now()}`);
    await ensureDatabase(url);
    await ensureDatabase(url); // exists already: fine
    expect((await pendingMigrations(url)).length).toBeGreaterThan(0);
    const first = await migrate(url);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await pendingMigrations(url)).toEqual([]);
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    const rows = await query(url, `SELECT migration_name FROM "_prisma_migrations"`);
    expect(rows).toHaveLength(first.applied.length);
    // What schema.prisma cannot say survives: the search index's small pending list (no long
    // merge inside one send's commit).
    const [idx] = await query(
      url,
      `SELECT reloptions FROM pg_class WHERE relname = 'Message_search_vector_idx'`,
    );
    expect(idx?.reloptions).toContain("gin_pending_list_limit=256");
  });

  it("is safe when several processes boot against a fresh database at once", async () => {
    const url = dbUrl(`beacon_race_${Date.now()}`);
    const runs = await Promise.all(
      Array.from(
        { length: 4 },
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(TSX, ["scripts/migrate.ts"], {
              env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "info" },
              stdio: ["ignore", "pipe", "pipe"],
            });
            let out = "";
            child.stdout.on("data", (d) => {
              out += d;
            });
            child.stderr.on("data", (d) => {
              out += d;
            });
            child.on("close", (code) => resolve({ code, out }));
          }),
      ),
    );
    for (const r of runs) expect(r.code, r.out).toBe(0);
    const applied = runs.map((r) => (r.out.match(/applied migration/g) ?? []).length);
    const total = (await query(url, `SELECT count(*)::int AS n FROM "_prisma_migrations"`))[0].n;
    expect(applied.reduce((a, b) => a + b, 0)).toBe(total);
    expect(await query(url, `SELECT to_regclass('"Message"') IS NOT NULL AS ok`)).toEqual([{ ok: true }]);
  }, 60_000);
});

describe("embedded PostgreSQL", () => {
  it("initialises once, keeps data across restarts, and recovers from a killed owner", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-emb-"));
    try {
      const first = await startEmbeddedPostgres({ dataDir: dir, password: "pw-1" });
      await ensureDatabase(first.url);
      await query(first.url, "CREATE TABLE kept (v text)");
      await query(first.url, "INSERT INTO kept VALUES ('survives')");
      await first.stop();
      expect(alive(first.pid)).toBe(false);

      // The owning process dies with SIGKILL: its postmaster is orphaned and still holds the data dir.
      // node --import tsx (not the tsx CLI, which would put a wrapper process in between)
      const child = spawn(
        process.execPath,
        ["--import", "tsx", "tests/helpers/embedded-child.ts", dir, "pw-1"],
        {
          stdio: ["ignore", "pipe", "inherit"],
        },
      );
      const line = await new Promise<string>((resolve) =>
        child.stdout.once("data", (d) => resolve(String(d))),
      );
      const orphanPid = Number(line.split(" ")[1]);
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      expect(alive(orphanPid)).toBe(true);

      const again = await startEmbeddedPostgres({ dataDir: dir, password: "pw-1" });
      expect(alive(orphanPid)).toBe(false);
      expect(await query(again.url, "SELECT v FROM kept")).toEqual([{ v: "survives" }]);
      await again.stop();
      expect(existsSync(path.join(dir, "postgres", "postmaster.pid"))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it.skipIf(process.getuid?.() !== 0)(
    "as root, explains a DATA_DIR the postgres user cannot reach",
    async () => {
      const closed = await mkdtemp(path.join(os.tmpdir(), "beacon-closed-")); // 0700, owned by root
      try {
        await expect(
          startEmbeddedPostgres({ dataDir: path.join(closed, "data"), password: "x" }),
        ).rejects.toThrow(/cannot reach .* because .* is closed to other users\. Set DATA_DIR/);
      } finally {
        await rm(closed, { recursive: true, force: true });
      }
    },
  );
});
