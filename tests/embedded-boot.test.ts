// First boot and recovery of the embedded PostgreSQL, done for real: the initdb password file, the
// secrets file, and a stale postmaster.pid that names a process that is not ours.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { chown, mkdtemp, readFile, rm, truncate, unlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { alive, startEmbeddedPostgres } from "@/lib/db/embedded";
import { loadOrCreateSecrets } from "@/lib/secrets";

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), prefix));
  dirs.push(d);
  return d;
}

async function canQuery(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url.replace(/\/beacon$/, "/postgres") });
  await c.connect();
  try {
    return (await c.query("SELECT 1 AS one")).rows[0]?.one === 1;
  } finally {
    await c.end();
  }
}

describe("first boot of the embedded PostgreSQL", () => {
  it("gives initdb its password in a 0600 file inside DATA_DIR (none in the temp folder), deleted after", async () => {
    const dataDir = await tempDir("beacon-pw-");
    const tmpBefore = new Set(readdirSync(os.tmpdir()));
    const seen = new Map<string, number>(); // file → mode, as observed while initdb runs
    const tmpSeen = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const f of existsSync(dataDir) ? readdirSync(dataDir) : []) {
          if (f === "postgres" || seen.has(f)) continue;
          try {
            seen.set(f, statSync(path.join(dataDir, f)).mode & 0o777);
          } catch {
            // removed between readdir and stat
          }
        }
        for (const f of readdirSync(os.tmpdir()))
          if (!tmpBefore.has(f) && f.startsWith(`beacon-pg-${process.pid}-`)) tmpSeen.add(f);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const db = await startEmbeddedPostgres({ dataDir, password: "first-boot-pw" });
    watching = false;
    await watcher;
    try {
      expect(await canQuery(db.url)).toBe(true);
      expect([...tmpSeen]).toEqual([]);
      const pwFiles = [...seen.keys()];
      expect(pwFiles).toHaveLength(1);
      expect(pwFiles[0]).toMatch(/^\.pgpass-[0-9a-f]{24}$/);
      expect(seen.get(pwFiles[0] as string)).toBe(0o600);
      expect(readdirSync(dataDir)).toEqual(["postgres"]); // deleted after use
    } finally {
      await db.stop();
    }
  }, 60_000);
});

describe("secrets.json", () => {
  it("is created once, atomically: concurrent first starts all get the secrets on disk", async () => {
    const dir = await tempDir("beacon-secrets-");
    const all = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateSecrets(dir)));
    const onDisk = JSON.parse(await readFile(path.join(dir, "secrets.json"), "utf8"));
    for (const s of all) expect(s).toEqual(onDisk);
    expect(statSync(path.join(dir, "secrets.json")).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["secrets.json"]); // no temp file left behind
  });

  it("truncated or missing next to an existing database: a clear boot error, never a new password", async () => {
    const dataDir = await tempDir("beacon-secrets-db-");
    const file = path.join(dataDir, "secrets.json");
    const secrets = await loadOrCreateSecrets(dataDir);
    const db = await startEmbeddedPostgres({ dataDir, password: secrets.pgPassword });
    await db.stop();

    await truncate(file, 0);
    await expect(loadOrCreateSecrets(dataDir)).rejects.toThrow(
      /secrets\.json is damaged \(empty\)\. Restore .*secrets\.json from your backup/,
    );
    await writeFile(file, JSON.stringify({ nextauthSecret: secrets.nextauthSecret }).slice(0, 20));
    await expect(loadOrCreateSecrets(dataDir)).rejects.toThrow(/is damaged \(not valid JSON\)/);
    await writeFile(file, JSON.stringify({ nextauthSecret: secrets.nextauthSecret }));
    await expect(loadOrCreateSecrets(dataDir)).rejects.toThrow(/is damaged \(.*pgPassword is missing\)/);
    expect(JSON.parse(await readFile(file, "utf8"))).toEqual({ nextauthSecret: secrets.nextauthSecret });

    await unlink(file);
    await expect(loadOrCreateSecrets(dataDir)).rejects.toThrow(
      /secrets\.json is missing, but .*postgres holds a database whose password it kept\. Restore/,
    );
    expect(existsSync(file)).toBe(false);

    // Restored from the backup: the database opens again.
    await writeFile(file, JSON.stringify(secrets), { mode: 0o600 });
    const again = await startEmbeddedPostgres({
      dataDir,
      password: (await loadOrCreateSecrets(dataDir)).pgPassword,
    });
    try {
      expect(await canQuery(again.url)).toBe(true);
    } finally {
      await again.stop();
    }
  }, 60_000);
});

describe("stale postmaster.pid", () => {
  it("naming an unrelated live process: that process is left alone and PostgreSQL still starts", async () => {
    const dataDir = await tempDir("beacon-stale-");
    const first = await startEmbeddedPostgres({ dataDir, password: "pw" });
    const pidFile = path.join(dataDir, "postgres", "postmaster.pid");
    const lockFile = await readFile(pidFile, "utf8");
    await first.stop();
    expect(existsSync(pidFile)).toBe(false);

    const bystander = spawn("sleep", ["60"], { stdio: "ignore" });
    const pid = bystander.pid as number;
    try {
      // An unclean stop left the lock file behind, and the PID in it now belongs to someone else.
      await writeFile(pidFile, lockFile.replace(/^\d+/, String(pid)), { mode: 0o600 });
      const owner = statSync(path.dirname(pidFile)); // as root, PostgreSQL runs as "postgres"
      await chown(pidFile, owner.uid, owner.gid);
      const lines: string[] = [];
      const again = await startEmbeddedPostgres({ dataDir, password: "pw", log: (l) => lines.push(l) });
      try {
        expect(alive(pid)).toBe(true);
        expect(bystander.exitCode).toBeNull();
        expect(bystander.signalCode).toBeNull();
        expect(await canQuery(again.url)).toBe(true);
        expect(lines.join("\n")).toContain(`pid ${pid} is not a PostgreSQL of this data directory`);
      } finally {
        await again.stop();
      }
    } finally {
      bystander.kill("SIGKILL");
    }
  }, 60_000);
});
