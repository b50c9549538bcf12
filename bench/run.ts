// `npm run bench` (`-- --quick` for a ≤ 5 minute run): Beacon side by side with a raw ws broadcast
// server and a bare Socket.IO server, on loopback, with one load generator in its own process.
// Servers (and Beacon's PostgreSQL) are pinned to core 0, the generator to core 1 (taskset).
// Prints Markdown tables and writes bench/results/latest.json. Method: docs/performance.md.
import { randomUUID } from "node:crypto";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { type Latency, sampleLatency, seedMessages } from "../scripts/measure-lib";
import { signInCookie, startServer } from "../scripts/server-harness";
import type { ConnectReply, RunReply } from "./generator";
import {
  type BenchServer,
  canPin,
  cpuSecondsOf,
  GC_ARGS,
  GEN_CORE,
  type Generator,
  pinTree,
  ROOT,
  SERVER_CORE,
  settledRss,
  startBare,
  startGenerator,
} from "./processes";
import { type UploadResult, uploadsBench } from "./uploads";
import type { ServerKind } from "./wire";

const log = (s: string) => console.info(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

const QUICK = process.argv.includes("--quick");
const SIZES_ARG = process.argv.find((a) => a.startsWith("--sizes="))?.slice(8);
const ROOM_SIZES = SIZES_ARG ? SIZES_ARG.split(",").map(Number) : [5, 50, 500];
/** `--parts=fanout,idle,history,inserts,uploads` runs a subset (e.g. fanout alone while profiling). */
const PARTS = process.argv
  .find((a) => a.startsWith("--parts="))
  ?.slice(8)
  .split(",");
const part = (name: string) => !PARTS || PARTS.includes(name);
/** `--profile`: Beacon runs with --cpu-prof; the profile lands in bench/results/profiles. */
const PROFILE = process.argv.includes("--profile");
/** `--fixed=RATE`: no ramp, only a fixed-rate run at RATE msg/s after an unmeasured one (profiling, A/B runs). */
const FIXED_ONLY = Number(process.argv.find((a) => a.startsWith("--fixed="))?.slice(8)) || undefined;
const IDLE_STEPS = [1_000, 5_000, 10_000];
const HISTORY_SIZE = QUICK ? 100_000 : 1_000_000;
const STEP_MS = QUICK ? 1_500 : 4_000;
const STEP_FACTOR = QUICK ? 2 : 1.4;
const FIXED_MS = QUICK ? 3_000 : 8_000;
const P99_LIMIT_MS = 50;
const GEN_CPU_LIMIT = 0.9;
const PASSWORD = "bench password 1";
// Bare Socket.IO first: the others' fixed-rate runs use half its maximum. `--only=raw,beacon` for a subset.
const ONLY = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice(7)
  .split(",");
const KINDS = (["socketio", "raw", "beacon"] as ServerKind[]).filter((k) => !ONLY || ONLY.includes(k));

// ---------------------------------------------------------------------------------------------
// Beacon: embedded PostgreSQL, seeded users and rooms, the production build, real sign-in cookies

interface BeaconSetup {
  server: BenchServer;
  dbUrl: string;
  rooms: Map<number, string>;
  /** Session cookies of the bench users, in member order (user i is in every room of size > i). */
  cookies: string[];
  userIds: string[];
  /** A fresh server process on the same database (the session cookies stay valid). */
  restart(): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Waits (up to 2 minutes) until no autovacuum worker runs. A ramp stores 100,000+ messages, and the
 * vacuum PostgreSQL then starts on the Message table shares core 0 with the next measurement (22% of
 * the core at 20 msg/s in room 500, against 5% a step later). Real work of a real deployment, but it
 * belongs to the previous workload, not to the next one.
 */
async function quiesceDatabase(dbUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const t = Date.now();
    for (;;) {
      const { rows } = await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
      );
      if ((rows[0]?.n ?? 0) === 0) break;
      if (Date.now() - t > 120_000) {
        log("autovacuum still running after 2 min; measuring anyway");
        break;
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    if (Date.now() - t > 1_500) log(`waited ${((Date.now() - t) / 1000).toFixed(0)} s for autovacuum`);
  } finally {
    await c.end();
  }
}

/** One scrape of Beacon's /api/metrics (prom-client resets the event-loop histogram on each). */
async function scrape(url: string): Promise<string> {
  return (await fetch(`${url}/api/metrics`)).text();
}

function metricValues(text: string, names: string[]): number[] {
  return names.map((name) => {
    const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, "m").exec(text);
    return m ? Number(m[1]) : Number.NaN;
  });
}

async function startBeacon(): Promise<BeaconSetup> {
  const { ensureBuild } = await import("../scripts/build-state");
  ensureBuild();
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-bench-"));
  await chmod(dir, 0o711); // as root, the embedded PostgreSQL runs as "postgres" and must reach dir/pg
  const pgDb = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), password: "bench" });
  await ensureDatabase(pgDb.url);
  await migrate(pgDb.url);
  pinTree(pgDb.pid, SERVER_CORE);

  // Users and rooms go straight into the database (one argon2 hash shared by all: the same password).
  const { hashPassword } = await import("@/lib/users/password");
  const hash = await hashPassword(PASSWORD);
  const users = Math.max(...ROOM_SIZES);
  const c = new pg.Client({ connectionString: pgDb.url });
  await c.connect();
  const { rows: userRows } = await c.query<{ id: string; username: string }>(
    `INSERT INTO "User" (username, "displayName", "passwordHash")
     SELECT 'bench' || g, 'Bench user ' || g, $1 FROM generate_series(0, $2 - 1) g
     RETURNING id, username`,
    [hash, users],
  );
  userRows.sort((a, b) => Number(a.username.slice(5)) - Number(b.username.slice(5)));
  const userIds = userRows.map((u) => u.id);
  const rooms = new Map<number, string>();
  for (const size of [...ROOM_SIZES, HISTORY_SIZE]) {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "Room" (name, "nameKey", "ownerId") VALUES ($1, $1, $2) RETURNING id`,
      [`bench-${size}`, userIds[0]],
    );
    const roomId = (rows[0] as { id: string }).id;
    rooms.set(size, roomId);
    await c.query(
      `INSERT INTO "Membership" ("roomId", "userId", role)
       SELECT $1, u, CASE WHEN u = $3 THEN 'owner' ELSE 'member' END FROM unnest($2::uuid[]) u`,
      [roomId, userIds.slice(0, Math.min(size, users)), userIds[0]],
    );
  }
  await c.end();

  const secret = `bench-${randomUUID()}`;
  const launch = async (): Promise<{ server: BenchServer; stop(): Promise<unknown> }> => {
    const s = await startServer(
      { DATABASE_URL: pgDb.url, LOG_LEVEL: "warn", NEXTAUTH_SECRET: secret },
      {
        nodeArgs: [
          ...GC_ARGS,
          ...(PROFILE
            ? ["--cpu-prof", `--cpu-prof-dir=${path.join(ROOT, "bench", "results", "profiles")}`]
            : []),
        ],
      },
    );
    pinTree(s.proc.pid as number, SERVER_CORE);
    log(`Beacon up (production build) in ${s.readyMs} ms`);
    const server: BenchServer = {
      kind: "beacon",
      url: s.url,
      pid: s.proc.pid as number,
      dbPid: pgDb.pid,
      async sample() {
        const text = await scrape(s.url);
        const ackBuckets = new Map<number, number>();
        for (const m of text.matchAll(
          /^beacon_socket_ack_seconds_bucket\{le="([^"]+)",event="message:send",outcome="ok"\} (\d+)$/gm,
        ))
          ackBuckets.set(m[1] === "+Inf" ? Number.POSITIVE_INFINITY : Number(m[1]), Number(m[2]));
        const [lag, messages, statements] = metricValues(text, [
          "nodejs_eventloop_lag_p99_seconds",
          "beacon_message_insert_batch_size_sum",
          "beacon_message_insert_batch_size_count",
        ]);
        return {
          eventLoopP99Ms: (lag ?? 0) * 1000,
          inserts: { messages: messages ?? 0, statements: statements ?? 0 },
          ackBuckets,
        };
      },
      async stop() {
        await s.stop();
      },
    };
    return { server, stop: () => s.stop() };
  };
  let current = await launch();
  log(`signing in ${users} users`);
  const cookies: string[] = new Array(users);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < users) {
        const i = next++;
        cookies[i] = await signInCookie(current.server.url, `bench${i}`, PASSWORD, { existing: true });
      }
    }),
  );
  return {
    get server() {
      return current.server;
    },
    dbUrl: pgDb.url,
    rooms,
    cookies,
    userIds,
    async restart() {
      await current.stop();
      current = await launch();
    },
    async cleanup() {
      await current.stop();
      await pgDb.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workloads

/** Share of one core the server (and its database) used during a run. */
interface ServerCpu {
  serverCpu: number;
  dbCpu?: number | undefined;
  /** Beacon: server-side time from receiving a send to its ack, p50/p99 as the bucket bound (ms). */
  serverAckP50Ms?: number | undefined;
  serverAckP99Ms?: number | undefined;
  /** Beacon: messages stored per insert statement, on average. */
  meanBatch?: number | undefined;
  eventLoopP99Ms: number;
}

interface Step extends RunReply, ServerCpu {
  rate: number;
  pass: boolean;
}

/**
 * One generator run, with the CPU the server and its database used for it: CPU seconds (the drain
 * after sending included) per second of sending, so 100% means the offered load needs a whole core.
 */
async function measuredRun(
  gen: Generator,
  server: BenchServer,
  cmd: { rate: number; durationMs: number; drainMs: number },
): Promise<RunReply & ServerCpu> {
  const s0 = cpuSecondsOf(server.pid);
  const d0 = server.dbPid ? cpuSecondsOf(server.dbPid) : 0;
  const { inserts: i0, ackBuckets: a0 } = await server.sample(); // also resets the event-loop histogram
  const r = await gen.send<RunReply>({ cmd: "run", ...cmd });
  const { inserts: i1, ackBuckets: a1, eventLoopP99Ms } = await server.sample();
  const secs = cmd.durationMs / 1000;
  return {
    ...r,
    serverCpu: (cpuSecondsOf(server.pid) - s0) / secs,
    dbCpu: server.dbPid ? (cpuSecondsOf(server.dbPid) - d0) / secs : undefined,
    meanBatch: i0 && i1 ? (i1.messages - i0.messages) / (i1.statements - i0.statements) : undefined,
    eventLoopP99Ms,
    serverAckP50Ms: a0 && a1 ? bucketPercentile(a0, a1, 50) : undefined,
    serverAckP99Ms: a0 && a1 ? bucketPercentile(a0, a1, 99) : undefined,
  };
}

/** The upper bound (ms) of the histogram bucket holding the p-th percentile of what was added between two scrapes. */
function bucketPercentile(before: Map<number, number>, after: Map<number, number>, p: number): number {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const count = (le: number) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
  const total = count(Number.POSITIVE_INFINITY);
  const le = bounds.find((b) => count(b) >= (total * p) / 100) ?? Number.POSITIVE_INFINITY;
  return le * 1000;
}

const cpuText = (c: ServerCpu) =>
  `server CPU ${(c.serverCpu * 100).toFixed(0)}%${c.dbCpu === undefined ? "" : `, PostgreSQL CPU ${(c.dbCpu * 100).toFixed(0)}%`}${c.meanBatch === undefined ? "" : `, ${c.meanBatch.toFixed(1)} messages per insert`}${c.serverAckP50Ms === undefined ? "" : `, server-side ack p50 ≤ ${c.serverAckP50Ms} / p99 ≤ ${c.serverAckP99Ms} ms`}`;

interface FanoutResult {
  steps: Step[];
  maxDeliveredPerSec: number;
  /** True when the generator neared a full core: the figure measures the generator, not the server. */
  generatorBound: boolean;
  fixed?: (RunReply & ServerCpu & { rate: number }) | undefined;
}

/** A step counts when nothing was lost or duplicated, p99 held, and the generator had CPU to spare. */
function passes(r: RunReply): boolean {
  return r.lost === 0 && r.duplicates === 0 && r.p99 <= P99_LIMIT_MS && r.cpu < GEN_CPU_LIMIT;
}

async function fanout(
  gen: Generator,
  server: BenchServer,
  size: number,
  roomId: string,
  cookies: string[] | undefined,
  fixedRate: number | undefined,
  /** Beacon: waits for the database's background work (quiesceDatabase) before the fixed-rate run. */
  quiesce?: () => Promise<void>,
): Promise<FanoutResult> {
  await gen.send<ConnectReply>({
    cmd: "connect",
    kind: server.kind,
    base: server.url,
    roomId,
    count: size,
    cookies,
    concurrency: 50,
  });
  try {
    // Let the server finish what connecting set off (Beacon: joining rooms, presence broadcasts).
    await new Promise((r) => setTimeout(r, 2_000));
    // Warm-up: until a slow round reaches everyone (Beacon joins member rooms just after connecting).
    for (let i = 0; ; i++) {
      const w = await gen.send<RunReply>({ cmd: "run", rate: 50, durationMs: 500, drainMs: 500 });
      if (w.lost === 0 && w.duplicates === 0) break;
      if (i === 10) throw new Error(`${server.kind} room ${size}: warm-up never delivered everything`);
    }
    const steps: Step[] = [];
    let generatorBound = false;
    // Message rate whose fan-out starts near 2,000 deliveries/s.
    let rate = Math.max(20, Math.round(2_000 / (size - 1)));
    for (; !FIXED_ONLY; ) {
      let r = await measuredRun(gen, server, { rate, durationMs: STEP_MS, drainMs: 1_000 });
      // A step that fails is run once more (same for every server), so that one stall does not end
      // the ramp; both runs are kept in `steps`.
      if (!passes(r) && r.cpu < GEN_CPU_LIMIT) {
        steps.push({ ...r, rate, pass: false });
        log(
          `${server.kind} room ${size}: ${rate} msg/s failed (p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}); once more`,
        );
        r = await measuredRun(gen, server, { rate, durationMs: STEP_MS, drainMs: 1_000 });
      }
      const step = { ...r, rate, pass: passes(r) };
      steps.push(step);
      log(
        `${server.kind} room ${size}: ${rate} msg/s → ${Math.round(r.deliveredPerSec)} deliveries/s, p99 ${r.p99.toFixed(1)} ms, lost ${r.lost}, dup ${r.duplicates}, ack p99 ${r.ackP99.toFixed(1)} ms, generator CPU ${(r.cpu * 100).toFixed(0)}%, ${cpuText(r)}`,
      );
      if (r.cpu >= GEN_CPU_LIMIT) generatorBound = true;
      if (!step.pass || generatorBound || steps.length >= 25) break;
      rate = Math.ceil(rate * STEP_FACTOR);
    }
    const ok = steps.filter((s) => s.pass);
    const maxDeliveredPerSec = ok.length ? Math.max(...ok.map((s) => s.deliveredPerSec)) : 0;
    let fixed: FanoutResult["fixed"];
    const half = FIXED_ONLY ?? fixedRate ?? (ok.length ? Math.max(...ok.map((s) => s.rate)) / 2 : undefined);
    if (half) {
      // The ramp's last steps overload the server on purpose; what they leave PostgreSQL to do
      // (vacuuming 100,000+ new rows) is not part of a run at half load.
      await quiesce?.();
      // Without the ramp the server is cold (JIT, caches, pools): warm it with one unmeasured run.
      if (FIXED_ONLY)
        await gen.send<RunReply>({
          cmd: "run",
          rate: Math.round(half),
          durationMs: FIXED_MS,
          drainMs: 1_000,
        });
      const r = await measuredRun(gen, server, {
        rate: Math.round(half),
        durationMs: FIXED_MS,
        drainMs: 1_000,
      });
      fixed = { ...r, rate: Math.round(half) };
      log(
        `${server.kind} room ${size}: fixed ${Math.round(half)} msg/s → p50 ${r.p50.toFixed(2)} / p95 ${r.p95.toFixed(2)} / p99 ${r.p99.toFixed(2)} ms (ack p50 ${r.ackP50.toFixed(2)} / p99 ${r.ackP99.toFixed(2)} ms), lost ${r.lost}, dup ${r.duplicates}, event loop p99 ${fixed.eventLoopP99Ms.toFixed(1)} ms, ${cpuText(r)}`,
      );
    }
    return { steps, maxDeliveredPerSec, generatorBound, fixed };
  } finally {
    await gen.send({ cmd: "close" });
  }
}

interface IdleResult {
  baselineRss: number;
  points: { connections: number; rss: number; perConnBytes: number }[];
  handshakesPerSec: number;
}

async function idle(
  gen: Generator,
  server: BenchServer,
  roomId: string,
  cookies?: string[],
): Promise<IdleResult> {
  const settle = () => new Promise((r) => setTimeout(r, 3_000));
  // Warm-up: 100 connections opened and closed, so that what the first handshakes load once (code
  // paths, compiled functions, pools) is in the baseline and not counted per connection.
  await gen.send<ConnectReply>({
    cmd: "connect",
    kind: server.kind,
    base: server.url,
    roomId,
    count: 100,
    cookies,
    concurrency: 100,
  });
  await gen.send({ cmd: "close" });
  await settle();
  const baselineRss = await settledRss(server.pid);
  const points: IdleResult["points"] = [];
  let open = 0;
  let handshakesPerSec = 0;
  try {
    for (const target of IDLE_STEPS) {
      const cpu0 = cpuSecondsOf(server.pid);
      const db0 = server.dbPid ? cpuSecondsOf(server.dbPid) : 0;
      const r = await gen.send<ConnectReply>({
        cmd: "connect",
        kind: server.kind,
        base: server.url,
        roomId,
        count: target - open,
        // Spread connections over the users the way browser tabs would be.
        cookies: cookies ? cookies.slice(open % cookies.length).concat(cookies) : undefined,
        concurrency: 100,
      });
      if (open === 0) {
        handshakesPerSec = r.handshakesPerSec;
        // CPU per handshake (the 10 ms tick of /proc makes this a rough figure at 1,000 connections).
        const n = target - open;
        const ms = (s: number) => ((s * 1000) / n).toFixed(2);
        log(
          `${server.kind}: ${f0(r.handshakesPerSec)} handshakes/s, server CPU ${ms(cpuSecondsOf(server.pid) - cpu0)} ms per handshake${server.dbPid ? `, PostgreSQL CPU ${ms(cpuSecondsOf(server.dbPid) - db0)} ms` : ""}`,
        );
      }
      open = target;
      await settle();
      const rss = await settledRss(server.pid);
      points.push({ connections: target, rss, perConnBytes: (rss - baselineRss) / target });
      log(
        `${server.kind}: ${target} idle connections, RSS ${(rss / 2 ** 20).toFixed(0)} MiB (+${((rss - baselineRss) / target / 1024).toFixed(1)} KiB/conn)`,
      );
    }
  } finally {
    await gen.send({ cmd: "close" });
  }
  return { baselineRss, points, handshakesPerSec };
}

interface HistoryResult {
  messages: number;
  roomPageTtfb: Latency;
  roomPageFull: Latency;
  historyNewest: Latency;
  historyDeep: Latency;
}

async function history(b: BeaconSetup): Promise<HistoryResult> {
  const roomId = b.rooms.get(HISTORY_SIZE) as string;
  const t = Date.now();
  await seedMessages(b.dbUrl, roomId, b.userIds[0] as string, HISTORY_SIZE);
  log(`seeded ${HISTORY_SIZE.toLocaleString("en-US")} messages in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  const headers = { cookie: b.cookies[0] as string };
  const rounds = QUICK ? 100 : 300;
  const get = (p: string, full: boolean) => async () => {
    const r = await fetch(`${b.server.url}${p}`, { headers });
    if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
    if (full) await r.arrayBuffer();
    else await r.body?.cancel();
  };
  const deep = Math.max(100, Math.floor(HISTORY_SIZE / 100));
  return {
    messages: HISTORY_SIZE,
    roomPageTtfb: await sampleLatency(get(`/rooms/${roomId}`, false), rounds),
    roomPageFull: await sampleLatency(get(`/rooms/${roomId}`, true), rounds),
    historyNewest: await sampleLatency(get(`/api/rooms/${roomId}/messages?limit=50`, true), rounds),
    historyDeep: await sampleLatency(
      get(`/api/rooms/${roomId}/messages?before=${deep}&limit=50`, true),
      rounds,
    ),
  };
}

interface InsertResult {
  rawDriverPerSec: number;
  beaconPerSec: number;
  count: number;
  concurrency: number;
}

/** Message inserts/s into one room: the pg driver with a plain INSERT vs Beacon's sendMessage(). */
async function inserts(b: BeaconSetup): Promise<InsertResult> {
  const count = QUICK ? 3_000 : 20_000;
  const concurrency = 16;
  const roomId = b.rooms.get(50) as string;
  const authors = b.userIds.slice(0, 50);
  const pool = new pg.Pool({ connectionString: b.dbUrl, max: concurrency });
  const { rows } = await pool.query<{ n: number }>(
    `SELECT COALESCE(MAX(seq), 0) + 1000000 AS n FROM "Message" WHERE "roomId" = $1`,
    [roomId],
  );
  let seq = (rows[0] as { n: number }).n;
  const drive = async (one: (i: number) => Promise<unknown>) => {
    let next = 0;
    const t = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await one(next++);
      }),
    );
    return count / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const body = "x".repeat(150);
  const rawDriverPerSec = await drive((i) =>
    pool.query(
      `INSERT INTO "Message" ("roomId", seq, "authorId", "clientId", body) VALUES ($1, $2, $3, $4, $5)`,
      [roomId, seq++, authors[i % authors.length], randomUUID(), body],
    ),
  );
  // The rows stay (a hard delete of 20,000 messages would check every reply reference). Their seqs
  // start at 1,000,000, far above the seqs Beacon's path hands out next.
  await pool.end();
  // Beacon's write path, in this process (same code as the socket handler calls).
  Object.assign(process.env, {
    DATABASE_URL: b.dbUrl,
    RATE_LIMIT_SCALE: "1000000",
    DATABASE_POOL_SIZE: String(concurrency),
  });
  const { sendMessage } = await import("@/lib/messages/messages.service");
  const { disconnectDb } = await import("@/lib/db/client");
  const actors = authors.map((id, i) => ({ id, username: `bench${i}`, displayName: `Bench user ${i}` }));
  const beaconPerSec = await drive((i) =>
    sendMessage(actors[i % actors.length] as (typeof actors)[number], {
      roomId,
      clientId: randomUUID(),
      body,
    }),
  );
  await disconnectDb();
  return { rawDriverPerSec, beaconPerSec, count, concurrency };
}

// ---------------------------------------------------------------------------------------------

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    pinned: canPin ? { servers: SERVER_CORE, generator: GEN_CORE } : null,
    date: new Date().toISOString(),
  };
}

const f0 = (n: number | undefined) =>
  n === undefined || Number.isNaN(n) ? "–" : Math.round(n).toLocaleString("en-US");
const f2 = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(2));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b ? null : Number((a / b).toFixed(3));

async function main() {
  log(
    `${QUICK ? "quick" : "full"} run; ${canPin ? "servers on core 0, generator on core 1" : "no pinning (taskset or a second core missing)"}`,
  );
  const gen = startGenerator();
  const fan: Record<ServerKind, Record<number, FanoutResult>> = { raw: {}, socketio: {}, beacon: {} };
  const idleRes: Partial<Record<ServerKind, IdleResult>> = {};
  let hist: HistoryResult | undefined;
  let ins: InsertResult | undefined;
  let up: UploadResult | undefined;
  let beacon: BeaconSetup | undefined;
  try {
    // Uploads: a Beacon process of its own with disk storage (no load generator involved).
    if (part("uploads")) up = await uploadsBench(log);
    const serverParts = ["fanout", "idle", "history", "inserts"].some(part);
    for (const kind of serverParts ? KINDS : []) {
      let server: BenchServer;
      if (kind === "beacon") {
        beacon = await startBeacon();
        server = beacon.server;
      } else server = await startBare(kind);
      // Beacon: let PostgreSQL's autovacuum from the previous workload finish first.
      const dbUrl = kind === "beacon" ? beacon?.dbUrl : undefined;
      const quiesce = dbUrl ? () => quiesceDatabase(dbUrl) : undefined;
      for (const size of part("fanout") ? ROOM_SIZES : []) {
        const roomId = beacon && kind === "beacon" ? (beacon.rooms.get(size) as string) : randomUUID();
        const cookies = kind === "beacon" ? beacon?.cookies.slice(0, size) : undefined;
        const sio = fan.socketio[size];
        const half = kind === "socketio" ? undefined : sio?.fixed?.rate;
        await quiesce?.();
        fan[kind][size] = await fanout(gen, server, size, roomId, cookies, half, quiesce);
      }
      if (part("idle") && (part("fanout") || kind === "beacon")) {
        // A fresh process: what the fan-out (and for Beacon, signing in every bench user) left on the
        // heap must not blur per-connection memory.
        if (kind === "beacon") {
          await beacon?.restart();
          server = beacon?.server ?? server;
        } else {
          await server.stop();
          server = await startBare(kind);
        }
      }
      await quiesce?.();
      if (part("idle"))
        idleRes[kind] = await idle(
          gen,
          server,
          kind === "beacon" ? (beacon?.rooms.get(500) as string) : randomUUID(),
          kind === "beacon" ? beacon?.cookies : undefined,
        );
      if (kind === "beacon" && beacon) {
        if (part("history")) {
          hist = await history(beacon);
          log(
            `history: newest p50 ${f2(hist.historyNewest.p50)} ms, deep p50 ${f2(hist.historyDeep.p50)} ms, room page TTFB p50 ${f2(hist.roomPageTtfb.p50)} ms`,
          );
        }
        if (part("inserts")) {
          ins = await inserts(beacon);
          log(`inserts/s: raw driver ${f0(ins.rawDriverPerSec)}, Beacon ${f0(ins.beaconPerSec)}`);
        }
        await beacon.cleanup();
      } else await server.stop();
    }
  } finally {
    gen.stop();
  }

  const kinds: ServerKind[] = ["raw", "socketio", "beacon"];
  const names: Record<ServerKind, string> = {
    raw: "raw ws",
    socketio: "bare Socket.IO",
    beacon: "Beacon (persisted)",
  };
  const idleAt = (k: ServerKind, n: number) =>
    idleRes[k]?.points.find((p) => p.connections === n)?.perConnBytes;
  const ratios = {
    delivered_room50_vs_socketio: ratio(
      fan.beacon[50]?.maxDeliveredPerSec,
      fan.socketio[50]?.maxDeliveredPerSec,
    ),
    p99_at_half_load_vs_socketio: ratio(fan.beacon[50]?.fixed?.p99, fan.socketio[50]?.fixed?.p99),
    idle_mem_per_conn_vs_socketio: ratio(idleAt("beacon", 10_000), idleAt("socketio", 10_000)),
    history_deep_vs_newest: ratio(hist?.historyDeep.p50, hist?.historyNewest.p50),
    delivered_room5_vs_socketio: ratio(
      fan.beacon[5]?.maxDeliveredPerSec,
      fan.socketio[5]?.maxDeliveredPerSec,
    ),
    delivered_room500_vs_socketio: ratio(
      fan.beacon[500]?.maxDeliveredPerSec,
      fan.socketio[500]?.maxDeliveredPerSec,
    ),
    inserts_beacon_vs_raw_driver: ratio(ins?.beaconPerSec, ins?.rawDriverPerSec),
    uploads_throughput_vs_fs: up?.throughputVsFs ?? null,
  };
  const invalid = kinds.flatMap((k) =>
    ROOM_SIZES.filter((s) => fan[k][s]?.generatorBound).map((s) => `${k} room ${s}`),
  );
  const lossy = kinds.flatMap((k) =>
    ROOM_SIZES.filter((s) => {
      const fx = fan[k][s]?.fixed;
      return fx && (fx.lost > 0 || fx.duplicates > 0);
    }).map((s) => `${k} room ${s}`),
  );

  const lines: string[] = [];
  lines.push(
    "| server | room | max delivered msg/s | fixed rate msg/s | p50 ms | p95 ms | p99 ms | lost | dup | event loop p99 ms |",
  );
  lines.push("|---|---|---|---|---|---|---|---|---|---|");
  for (const k of kinds)
    for (const s of ROOM_SIZES) {
      const r = fan[k][s];
      const fx = r?.fixed;
      lines.push(
        `| ${names[k]} | ${s} | ${f0(r?.maxDeliveredPerSec)}${r?.generatorBound ? " (generator-bound)" : ""} | ${f0(fx?.rate)} | ${f2(fx?.p50)} | ${f2(fx?.p95)} | ${f2(fx?.p99)} | ${fx?.lost ?? "–"} | ${fx?.duplicates ?? "–"} | ${f2(fx?.eventLoopP99Ms)} |`,
      );
    }
  lines.push("");
  lines.push("| server | handshakes/s | idle KiB/conn @1k | @5k | @10k |");
  lines.push("|---|---|---|---|---|");
  for (const k of kinds) {
    const kib = (n: number) => f2((idleAt(k, n) ?? Number.NaN) / 1024);
    lines.push(
      `| ${names[k]} | ${f0(idleRes[k]?.handshakesPerSec)} | ${kib(1_000)} | ${kib(5_000)} | ${kib(10_000)} |`,
    );
  }
  if (hist) {
    lines.push("");
    lines.push(`| Beacon, room of ${hist.messages.toLocaleString("en-US")} messages | p50 ms | p99 ms |`);
    lines.push("|---|---|---|");
    lines.push(
      `| room page, time to first byte | ${f2(hist.roomPageTtfb.p50)} | ${f2(hist.roomPageTtfb.p99)} |`,
    );
    lines.push(`| room page, full response | ${f2(hist.roomPageFull.p50)} | ${f2(hist.roomPageFull.p99)} |`);
    lines.push(
      `| history API, newest page | ${f2(hist.historyNewest.p50)} | ${f2(hist.historyNewest.p99)} |`,
    );
    lines.push(`| history API, deep page | ${f2(hist.historyDeep.p50)} | ${f2(hist.historyDeep.p99)} |`);
  }
  if (ins) {
    lines.push("");
    lines.push(
      `| message inserts into one room (${ins.count.toLocaleString("en-US")}, ${ins.concurrency} in flight) | per s |`,
    );
    lines.push("|---|---|");
    lines.push(`| pg driver, plain INSERT | ${f0(ins.rawDriverPerSec)} |`);
    lines.push(`| Beacon sendMessage() (authorize, seq, idempotency, insert) | ${f0(ins.beaconPerSec)} |`);
  }
  if (up) {
    lines.push("");
    lines.push(`| ${up.uploads} concurrent uploads of ${up.mibEach} MiB | value |`);
    lines.push("|---|---|");
    lines.push(`| Beacon POST /api/files, MiB/s | ${up.mibPerSec} |`);
    lines.push(`| plain fs write (fsync'd), same disk, MiB/s | ${up.fsMibPerSec} |`);
    lines.push(
      `| server RSS growth, MiB (before ${up.rssBeforeMiB}, peak ${up.rssPeakMiB}) | ${up.rssGrowthMiB} |`,
    );
  }
  lines.push("");
  lines.push("| ratio | value |");
  lines.push("|---|---|");
  for (const [k, v] of Object.entries(ratios)) lines.push(`| ${k} | ${v ?? "–"} |`);
  if (invalid.length)
    lines.push(`\nINVALID (generator near ${GEN_CPU_LIMIT * 100}% CPU): ${invalid.join(", ")}`);
  if (lossy.length) lines.push(`\nLOSS OR DUPLICATES at fixed rate: ${lossy.join(", ")}`);
  const table = lines.join("\n");
  console.info(`\n${table}\n`);

  const out = path.join(ROOT, "bench", "results");
  await mkdir(out, { recursive: true });
  const result = {
    mode: QUICK ? "quick" : "full",
    machine: machine(),
    settings: {
      roomSizes: ROOM_SIZES,
      stepMs: STEP_MS,
      stepFactor: STEP_FACTOR,
      fixedMs: FIXED_MS,
      p99LimitMs: P99_LIMIT_MS,
      messageBytes: 150,
      historyMessages: HISTORY_SIZE,
    },
    fanout: fan,
    idle: idleRes,
    history: hist,
    inserts: ins,
    uploads: up,
    ratios,
    invalid,
    lossy,
    table,
  };
  // `--parts=uploads` alone updates the uploads figures of the last full run instead of replacing it.
  const onlyUploads = PARTS?.length === 1 && PARTS[0] === "uploads";
  const previous = onlyUploads
    ? await readFile(path.join(out, "latest.json"), "utf8")
        .then((t) => JSON.parse(t) as typeof result)
        .catch(() => undefined)
    : undefined;
  const written = previous
    ? {
        ...previous,
        uploads: up,
        ratios: { ...previous.ratios, uploads_throughput_vs_fs: ratios.uploads_throughput_vs_fs },
      }
    : result;
  await writeFile(path.join(out, "latest.json"), `${JSON.stringify(written, null, 2)}\n`);
  log(`wrote bench/results/latest.json`);
  if (lossy.length) process.exitCode = 1;
}

for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));

main()
  .then(() => process.exit())
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
