// What docs/deploy.md tells operators to do, done for real: the systemd unit verifies, backups of
// the embedded and the external PostgreSQL restore into a working Beacon.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signInCookie, startServer } from "@/scripts/server-harness";

test("deploy/beacon.service passes systemd-analyze verify", () => {
  const tool = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].find((p) => existsSync(p));
  test.skip(!tool, "systemd-analyze is not installed");
  execFileSync(tool as string, ["verify", "deploy/beacon.service"], { stdio: "pipe" });
});

async function roomCount(url: string, cookie: string): Promise<number> {
  const res = await fetch(`${url}/api/rooms`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rooms: unknown[] }).rooms.length;
}

async function seed(url: string): Promise<{ username: string; cookie: string }> {
  const username = `backup${Date.now().toString(36)}`;
  const cookie = await signInCookie(url, username);
  const res = await fetch(`${url}/api/rooms`, {
    method: "POST",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: `kept-${randomUUID().slice(0, 8)}` }),
  });
  expect(res.status).toBe(201);
  return { username, cookie };
}

test("embedded PostgreSQL: a cold tar backup restores into a working Beacon", async () => {
  test.setTimeout(120_000);
  const root = await mkdtemp(path.join(os.tmpdir(), "beacon-backup-"));
  await chmod(root, 0o755); // mkdtemp makes it 0700; the embedded PostgreSQL (user postgres) must reach inside
  try {
    const original = path.join(root, "data");
    const restored = path.join(root, "restored");
    const archive = path.join(root, "beacon.tgz");
    const first = await startServer({ DATA_DIR: original, DATABASE_URL: "" });
    const { username } = await seed(first.url);
    expect((await first.stop()).code).toBe(0);
    execFileSync("tar", ["-C", original, "-czf", archive, "."]);
    mkdirSync(restored);
    execFileSync("tar", ["-C", restored, "-xzf", archive]);
    const second = await startServer({ DATA_DIR: restored, DATABASE_URL: "" });
    const cookie = await signInCookie(second.url, username, undefined, { existing: true });
    expect(await roomCount(second.url, cookie)).toBe(1);
    expect((await second.stop()).code).toBe(0);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("external PostgreSQL: pg_dump / pg_restore into a new database", async () => {
  test.setTimeout(120_000);
  const server = process.env.TEST_DATABASE_URL;
  if (!server && process.env.CI) throw new Error("CI must set TEST_DATABASE_URL");
  test.skip(!server, "TEST_DATABASE_URL is not set (CI sets it)");
  const at = (name: string) => {
    const u = new URL(server as string);
    u.pathname = `/${name}`;
    return u.toString();
  };
  const stamp = Date.now();
  const source = `beacon_src_${stamp}`;
  const copy = `beacon_copy_${stamp}`;
  const dump = path.join(os.tmpdir(), `beacon-${stamp}.dump`);
  const first = await startServer({ DATABASE_URL: at(source) });
  const { username } = await seed(first.url);
  try {
    execFileSync("pg_dump", ["--format=custom", `--file=${dump}`, at(source)]);
  } finally {
    await first.stop();
  }
  const u = new URL(server as string);
  execFileSync("createdb", ["-h", u.hostname, "-p", u.port || "5432", "-U", u.username || "postgres", copy]);
  execFileSync("pg_restore", ["--no-owner", `--dbname=${at(copy)}`, dump]);
  const second = await startServer({ DATABASE_URL: at(copy) });
  try {
    const cookie = await signInCookie(second.url, username, undefined, { existing: true });
    expect(await roomCount(second.url, cookie)).toBe(1);
  } finally {
    await second.stop();
    for (const db of [source, copy]) {
      execFileSync("dropdb", [
        "-h",
        u.hostname,
        "-p",
        u.port || "5432",
        "-U",
        u.username || "postgres",
        "--force",
        db,
      ]);
    }
    await rm(dump, { force: true });
  }
});
