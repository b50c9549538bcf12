// Several Beacon processes on one PostgreSQL and Redis: live messages, presence and typing across
// nodes; a node killed with SIGKILL; a rolling restart under load; nginx in front.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents, TypingUpdate } from "@/lib/realtime/events";
import { type RunningServer, signInCookie, startServer } from "@/scripts/server-harness";
import { ChatClient, sleep } from "@/tests/helpers/chat-client";
import { startS3rver } from "@/tests/helpers/s3";

test.describe.configure({ mode: "serial" });

const DB_SERVER = process.env.TEST_DATABASE_URL;
const REDIS = process.env.TEST_REDIS_URL;
const missing = !DB_SERVER || !REDIS;
if (missing && process.env.CI)
  throw new Error("CI must set TEST_DATABASE_URL and TEST_REDIS_URL for the cluster tests");
test.skip(
  missing,
  "needs TEST_DATABASE_URL and TEST_REDIS_URL (external PostgreSQL and Redis; CI sets both)",
);

let dbName = "";
let dbUrl = "";
let tmp = "";
const nodes: (RunningServer | null)[] = [null, null, null];
let env: Record<string, string> = {};
let cookies: Record<"ana" | "bo" | "cy" | "dee", string>;
let roomId = "";
let s3: Awaited<ReturnType<typeof startS3rver>> | undefined;

const liveUrls = () => nodes.filter((n): n is RunningServer => n !== null).map((n) => n.url);

async function startNode(i: number) {
  nodes[i] = await startServer({ ...env, DATA_DIR: path.join(tmp, `node${i}`) });
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: DB_SERVER });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

test.beforeAll(async () => {
  if (missing) return;
  test.setTimeout(180_000);
  tmp = await mkdtemp(path.join(os.tmpdir(), "beacon-cluster-"));
  dbName = `beacon_cluster_${Date.now()}`;
  const u = new URL(DB_SERVER as string);
  u.pathname = `/${dbName}`;
  dbUrl = u.toString();
  // Files on shared S3 storage (a real S3-compatible server), as a multi-node deployment needs.
  s3 = await startS3rver();
  env = {
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: "beacon",
    S3_ACCESS_KEY_ID: "S3RVER",
    S3_SECRET_ACCESS_KEY: "S3RVER",
    S3_FORCE_PATH_STYLE: "true",
    DATABASE_URL: dbUrl,
    REDIS_URL: REDIS as string,
    REDIS_PREFIX: `beacon-e2e-${randomUUID().slice(0, 8)}`,
    NEXTAUTH_SECRET: `cluster-${randomUUID()}`,
    LOG_LEVEL: "warn",
    TRUST_PROXY: "true", // as deploy/beacon.service sets it behind deploy/nginx.conf
  };
  // Three nodes boot at once against an empty database: migrations must apply exactly once.
  await Promise.all([0, 1, 2].map(startNode));
  const applied = await query<{ n: number; d: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT migration_name)::int AS d FROM "_prisma_migrations"`,
  );
  expect(applied[0]?.n).toBe(applied[0]?.d);

  const n0 = nodes[0] as RunningServer;
  const names = ["ana", "bo", "cy", "dee"] as const;
  const stamp = Date.now().toString(36);
  const list = await Promise.all(names.map((n) => signInCookie(n0.url, `${n}${stamp}`)));
  cookies = Object.fromEntries(names.map((n, i) => [n, list[i]])) as typeof cookies;
  const created = await fetch(`${n0.url}/api/rooms`, {
    method: "POST",
    headers: { cookie: cookies.ana, "content-type": "application/json" },
    body: JSON.stringify({ name: `cluster-${stamp}` }),
  });
  roomId = ((await created.json()) as { room: { id: string } }).room.id;
  for (const n of ["bo", "cy", "dee"] as const) {
    const res = await fetch(`${(nodes[1] as RunningServer).url}/api/rooms/${roomId}/join`, {
      method: "POST",
      headers: { cookie: cookies[n] },
    });
    expect(res.status).toBe(200);
  }
});

test.afterAll(async () => {
  for (const n of nodes) await n?.stop("SIGTERM");
  if (dbName) await admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)).catch(() => {});
  if (tmp) await rm(tmp, { recursive: true, force: true });
  await s3?.close();
});

type Raw = Socket<ServerToClientEvents, ClientToServerEvents>;
async function raw(url: string, cookie: string): Promise<Raw> {
  const s: Raw = io(url, {
    transports: ["websocket"],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  await s.timeout(5000).emitWithAck("room:join", { roomId });
  return s;
}

test("every node is ready; messages, presence and typing cross nodes", async () => {
  for (const url of liveUrls()) {
    const ready = await fetch(`${url}/api/ready`);
    expect(await ready.json()).toEqual({ status: "ok", db: "ok", migrations: "ok", redis: "ok" });
  }
  const [u0, u1, u2] = liveUrls() as [string, string, string];
  const a = await raw(u0, cookies.ana);
  const c = await raw(u2, cookies.cy);
  const boOnline = new Promise<void>((resolve) =>
    a.on("presence:update", (p) => {
      if (p.status === "online") resolve();
    }),
  );
  const b = await raw(u1, cookies.bo);
  await boOnline;
  const typing = new Promise<TypingUpdate>((resolve) => c.once("typing:update", resolve));
  await b.timeout(5000).emitWithAck("typing:start", { roomId });
  expect((await typing).typing).toBe(true);
  const got = Promise.all(
    [a, c].map((s) => new Promise<string>((resolve) => s.once("message:new", (m) => resolve(m.body)))),
  );
  const ack = await b
    .timeout(5000)
    .emitWithAck("message:send", { roomId, clientId: randomUUID(), body: "across nodes" });
  expect(ack.ok).toBe(true);
  expect(await got).toEqual(["across nodes", "across nodes"]);
  for (const s of [a, b, c]) s.disconnect();
});

test("a file uploaded on one node is served by another (S3 storage)", async () => {
  const [u0, u1] = liveUrls() as [string, string];
  const form = new FormData();
  form.append("roomId", roomId);
  const bytes = Buffer.from(`cluster file ${randomUUID()}`);
  form.append("file", new Blob([new Uint8Array(bytes)]), "cluster.txt");
  const up = await fetch(`${u0}/api/files`, { method: "POST", headers: { cookie: cookies.ana }, body: form });
  expect(up.status).toBe(201);
  const file = ((await up.json()) as { file: { id: string } }).file;
  const a = await raw(u0, cookies.ana);
  const sent = await a.timeout(5000).emitWithAck("message:send", {
    roomId,
    clientId: randomUUID(),
    body: "",
    fileIds: [file.id],
  });
  a.disconnect();
  expect(sent).toMatchObject({ ok: true, data: { files: [{ id: file.id }] } });
  const got = await fetch(`${u1}/api/files/${file.id}`, { headers: { cookie: cookies.bo } });
  expect(got.status).toBe(200);
  expect(Buffer.from(await got.arrayBuffer()).equals(bytes)).toBe(true);
  const part = await fetch(`${u1}/api/files/${file.id}`, {
    headers: { cookie: cookies.bo, range: "bytes=0-6" },
  });
  expect(part.status).toBe(206);
  expect(await part.text()).toBe("cluster");
});

test("a ban on one node removes the member's socket from the room on another node at once", async () => {
  const [u0, u1] = liveUrls() as [string, string];
  const stamp = Date.now().toString(36);
  const eveName = `eve${stamp}`;
  const eve = await signInCookie(u0, eveName);
  const created = await fetch(`${u0}/api/rooms`, {
    method: "POST",
    headers: { cookie: cookies.ana, "content-type": "application/json" },
    body: JSON.stringify({ name: `ban-${stamp}` }),
  });
  const banRoom = ((await created.json()) as { room: { id: string } }).room.id;
  expect(
    (await fetch(`${u1}/api/rooms/${banRoom}/join`, { method: "POST", headers: { cookie: eve } })).status,
  ).toBe(200);
  const members = (await (
    await fetch(`${u0}/api/rooms/${banRoom}/members`, { headers: { cookie: cookies.ana } })
  ).json()) as { members: { id: string; username: string }[] };
  const eveId = members.members.find((m) => m.username === eveName)?.id as string;
  // Eve's socket is on node 2 (index 1); Ana's on node 1 (index 0), where the ban is made.
  const connect = async (url: string, cookie: string) => {
    const s: Raw = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie },
      reconnection: false,
      forceNew: true,
    });
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });
    await s.timeout(5000).emitWithAck("room:join", { roomId: banRoom });
    return s;
  };
  const e = await connect(u1, eve);
  const a = await connect(u0, cookies.ana);
  try {
    const removed = new Promise<{ roomId: string; reason?: string; message?: string }>((resolve) =>
      e.once("room:removed", resolve),
    );
    let leaked = false;
    e.on("message:new", (m) => {
      if (m.roomId === banRoom) leaked = true;
    });
    const ban = await fetch(`${u0}/api/rooms/${banRoom}/bans/${eveId}`, {
      method: "PUT",
      headers: { cookie: cookies.ana, "content-type": "application/json" },
      body: JSON.stringify({ reason: "cluster check" }),
    });
    expect(ban.status).toBe(200);
    expect(await removed).toMatchObject({
      roomId: banRoom,
      reason: "banned",
      message: `You were banned from #ban-${stamp}`,
    });
    const ack = await a
      .timeout(5000)
      .emitWithAck("message:send", { roomId: banRoom, clientId: randomUUID(), body: "after the ban" });
    expect(ack.ok).toBe(true);
    await sleep(500);
    expect(leaked).toBe(false);
    const rejoin = await fetch(`${u1}/api/rooms/${banRoom}/join`, {
      method: "POST",
      headers: { cookie: eve },
    });
    // Banned: the public room is not there for them any more (a 404, like a private room).
    expect(rejoin.status).toBe(404);
  } finally {
    e.disconnect();
    a.disconnect();
  }
});

test("a node killed with SIGKILL: its clients reconnect elsewhere and catch up, nothing lost or doubled", async () => {
  test.setTimeout(120_000);
  const ana = new ChatClient(liveUrls, cookies.ana, roomId, 0);
  const cy = new ChatClient(liveUrls, cookies.cy, roomId, 2);
  await ana.start();
  await cy.start();
  for (let i = 0; i < 10; i++) ana.send(`before kill ${i}`);
  await expect.poll(() => cy.seqs().length, { timeout: 10_000 }).toBe(ana.seqs().length);

  const victim = nodes[2] as RunningServer;
  nodes[2] = null;
  victim.proc.kill("SIGKILL");
  for (let i = 0; i < 20; i++) ana.send(`during outage ${i}`);
  await expect.poll(() => ana.outbox.length, { timeout: 20_000 }).toBe(0);
  await expect.poll(() => cy.connections, { timeout: 20_000 }).toBeGreaterThan(1);
  await expect.poll(() => JSON.stringify(cy.seqs()), { timeout: 20_000 }).toBe(JSON.stringify(ana.seqs()));
  const seqs = cy.seqs();
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  ana.close();
  cy.close();
  await startNode(2); // back to three for the next test
});

test("a rolling restart under load keeps every acked message exactly once, delivered to every member", async () => {
  test.setTimeout(180_000);
  const senders = [
    new ChatClient(liveUrls, cookies.ana, roomId, 0),
    new ChatClient(liveUrls, cookies.bo, roomId, 1),
  ];
  const watcher = new ChatClient(liveUrls, cookies.dee, roomId, 2);
  for (const c of [...senders, watcher]) await c.start();
  let load = true;
  const loops = senders.map(async (c, k) => {
    for (let i = 0; load; i++) {
      c.send(`load ${k}-${i}`);
      await sleep(25);
      while (c.outbox.length > 20 && load) await sleep(25);
    }
  });
  for (let i = 0; i < nodes.length; i++) {
    await sleep(1500);
    const old = nodes[i] as RunningServer;
    nodes[i] = null;
    const stopped = await old.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    await startNode(i);
  }
  await sleep(1000);
  load = false;
  await Promise.all(loops);
  for (const c of senders) await expect.poll(() => c.outbox.length, { timeout: 30_000 }).toBe(0);

  const stored = await query<{ clientId: string; seq: number }>(
    `SELECT "clientId", seq FROM "Message" WHERE "roomId" = $1 ORDER BY seq`,
    [roomId],
  );
  const byClient = new Map(stored.map((r) => [r.clientId, r.seq]));
  expect(byClient.size).toBe(stored.length); // no clientId twice
  expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
  let acked = 0;
  for (const c of senders) {
    for (const [clientId, seq] of c.acked) {
      expect(byClient.get(clientId)).toBe(seq);
      acked++;
    }
  }
  expect(acked).toBeGreaterThan(50);
  await expect.poll(() => watcher.seqs().length, { timeout: 30_000 }).toBe(stored.length);
  expect(watcher.seqs()).toEqual(stored.map((r) => r.seq));
  expect(watcher.connections).toBeGreaterThan(1); // it did live through the restarts
  test.info().annotations.push({
    type: "load",
    description: `${acked} acked messages across a 3-node rolling restart`,
  });
  for (const c of [...senders, watcher]) c.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test("through nginx (deploy/nginx.conf): pages, WebSocket upgrade, messages between clients", async () => {
  const nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
  if (!nginx && process.env.CI) throw new Error("nginx is missing: .ci/run installs it");
  test.skip(!nginx, "nginx is not installed (apt-get install nginx-light)");
  const port = await freePort();
  const prefix = path.join(tmp, "nginx");
  execFileSync("mkdir", ["-p", path.join(prefix, "logs"), path.join(prefix, "tmp")]);
  const [u0, u1] = liveUrls() as [string, string];
  const site = readFileSync("deploy/nginx.conf", "utf8")
    .replace("listen 80;", `listen 127.0.0.1:${port};`)
    .replace("server 127.0.0.1:3000", `server ${new URL(u0).host}`)
    .replace("server 127.0.0.1:3001", `server ${new URL(u1).host}`);
  const conf = path.join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;\nerror_log ${prefix}/logs/error.log warn;\npid ${prefix}/nginx.pid;\nevents { worker_connections 256; }\n` +
      `http {\n  access_log off;\n  client_body_temp_path ${prefix}/tmp;\n  proxy_temp_path ${prefix}/tmp;\n  fastcgi_temp_path ${prefix}/tmp;\n  uwsgi_temp_path ${prefix}/tmp;\n  scgi_temp_path ${prefix}/tmp;\n${site}\n}\n`,
  );
  const proc: ChildProcess = spawn(nginx as string, ["-p", prefix, "-c", conf, "-g", "daemon off;"], {
    stdio: "inherit",
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await expect
      .poll(async () => (await fetch(`${base}/api/health`).catch(() => null))?.status, { timeout: 10_000 })
      .toBe(200);
    const page = await fetch(`${base}/signin`);
    expect(page.status).toBe(200);
    // The sample sets HSTS (once: Beacon's own copy is hidden), and the nodes trust nginx's
    // X-Forwarded-For (TRUST_PROXY), so none of them warns that every client shares its address.
    expect(page.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect(nodes.flatMap((n) => n?.logs ?? []).join("")).not.toMatch(/TRUST_PROXY is off/);
    expect((await fetch(`${base}/api/metrics`)).status).toBe(404);
    // Direct to a node from loopback, metrics are served; a proxied request would be refused.
    expect((await fetch(`${u0}/api/metrics`)).status).toBe(200);
    expect((await fetch(`${u0}/api/metrics`, { headers: { "x-forwarded-for": "1.2.3.4" } })).status).toBe(
      403,
    );

    const a = await raw(base, cookies.ana);
    const b = await raw(base, cookies.bo);
    const got = new Promise<string>((resolve) => b.once("message:new", (m) => resolve(m.body)));
    const ack = await a
      .timeout(5000)
      .emitWithAck("message:send", { roomId, clientId: randomUUID(), body: "via nginx" });
    expect(ack.ok).toBe(true);
    expect(await got).toBe("via nginx");
    a.disconnect();
    b.disconnect();
  } finally {
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
  }
});
