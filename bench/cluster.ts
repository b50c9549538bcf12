// Bench part `cluster` (`npm run bench -- --parts=cluster`): the cross-node path. Two Beacon nodes
// (production build) on one external PostgreSQL and one Redis, as docs/deploy.md runs several nodes.
// One room of 50: 5 senders connected to node 1 and 45 receivers connected to node 2 ("cluster"),
// against the same room with everyone on node 1 ("single"). Both runs use the same database, Redis
// and two running nodes (in "single" node 1 still publishes every broadcast to Redis and node 2
// still reads it), so the only difference is the receivers' node: what the comparison shows is the
// cross-node hop (Redis adapter publish, Redis, node 2's decode and fan-out). Latency is measured at
// the receivers only (the senders hear each other on node 1 either way). Both nodes are pinned to
// the servers' core; PostgreSQL and Redis are the machine's own services (not pinned).
// Without a reachable PostgreSQL or Redis the part is skipped with the reason (an error under CI=true).
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { connectRedis } from "@/lib/state/shared-state";
import { type RunningServer, signInCookie, startServer } from "../scripts/server-harness";
import type { ConnectReply, RunReply } from "./generator";
import { cpuSecondsOf, GC_ARGS, type Generator, pinTree, SERVER_CORE } from "./processes";

/** The PostgreSQL server (a fresh database is made on it) and the Redis of the part. */
const PG_URL = process.env.BENCH_PG_URL ?? "postgres://root@127.0.0.1:5432/postgres";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const ROOM = 50;
const SENDERS = 5;
const PASSWORD = "bench password 1";

export interface ClusterOptions {
  gen: Generator;
  log: (s: string) => void;
  /** Ramp steps and fixed-rate runs, as the fan-out part uses them (bench/run.ts). */
  stepMs: number;
  stepFactor: number;
  fixedMs: number;
  p99LimitMs: number;
  genCpuLimit: number;
  /** Fixed-rate runs of each placement, alternating (single, cluster, single, …). */
  fixedRounds: number;
}

interface Run extends RunReply {
  rate: number;
  pass: boolean;
  /** CPU of node 1 and node 2, each as a share of one core over the sending window. */
  node1Cpu: number;
  node2Cpu: number;
  /** Event-loop delay p99 (ms) of each node over the run (its 10 ms resolution included). */
  node1LoopP99Ms: number;
  node2LoopP99Ms: number;
}

interface Placement {
  steps: Run[];
  maxDeliveredPerSec: number;
  generatorBound: boolean;
  fixed: Run[];
}

export interface ClusterResult {
  /** Why the part did not run (no PostgreSQL or Redis). */
  skipped?: string;
  room?: number;
  senders?: number;
  single?: Placement;
  cluster?: Placement;
  /** The message rate of the fixed-rate runs: half of the single node's maximum. */
  fixedRate?: number;
  /** Median p99 of the fixed-rate runs (ms), and cluster over single. */
  singleP99Ms?: number;
  clusterP99Ms?: number;
  p99Ratio?: number | null;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? ((s[Math.floor((s.length - 1) / 2)] as number) + (s[Math.ceil((s.length - 1) / 2)] as number)) / 2
    : Number.NaN;
};

async function reachable(): Promise<string | undefined> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query("SELECT 1");
  } catch (err) {
    return `PostgreSQL at ${new URL(PG_URL).host} is not reachable (${(err as Error).message}); set BENCH_PG_URL`;
  } finally {
    await c.end().catch(() => {});
  }
  try {
    const r = await Promise.race([
      connectRedis(REDIS_URL),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("timed out")), 3_000)),
    ]);
    await r.quit();
  } catch (err) {
    return `Redis at ${new URL(REDIS_URL).host} is not reachable (${(err as Error).message}); set BENCH_REDIS_URL`;
  }
  return undefined;
}

/** Event-loop delay p99 (ms) since the previous scrape (prom-client resets the histogram on each). */
async function loopP99(node: RunningServer): Promise<number> {
  const text = await (await fetch(`${node.url}/api/metrics`)).text();
  const m = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([0-9.eE+-]+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : Number.NaN;
}

/** The bench users and their room, straight into the database (one argon2 hash: one password for all). */
async function seed(dbUrl: string): Promise<string> {
  const { hashPassword } = await import("@/lib/users/password");
  const hash = await hashPassword(PASSWORD);
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows: users } = await c.query<{ id: string }>(
      `INSERT INTO "User" (username, "displayName", "passwordHash")
       SELECT 'bench' || g, 'Bench user ' || g, $1 FROM generate_series(0, $2 - 1) g
       RETURNING id`,
      [hash, ROOM],
    );
    const ids = users.map((u) => u.id);
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "Room" (name, "nameKey", "ownerId") VALUES ('bench-cluster', 'bench-cluster', $1) RETURNING id`,
      [ids[0]],
    );
    const roomId = rows[0]?.id as string;
    await c.query(
      `INSERT INTO "Membership" ("roomId", "userId", role)
       SELECT $1, u, CASE WHEN u = $3 THEN 'owner' ELSE 'member' END FROM unnest($2::uuid[]) u`,
      [roomId, ids, ids[0]],
    );
    return roomId;
  } finally {
    await c.end();
  }
}

export async function clusterBench(o: ClusterOptions): Promise<ClusterResult> {
  const why = await reachable();
  if (why) {
    if (process.env.CI === "true") throw new Error(`cluster part: ${why}`);
    o.log(`cluster: skipped: ${why}`);
    return { skipped: why };
  }
  const { ensureBuild } = await import("../scripts/build-state");
  ensureBuild();
  const dbName = `beacon_bench_cluster_${Date.now()}`;
  const dbUrl = Object.assign(new URL(PG_URL), { pathname: `/${dbName}` }).toString();
  const prefix = `beacon-bench-${randomUUID().slice(0, 8)}`;
  const tmp = await mkdtemp(path.join(os.tmpdir(), "beacon-bench-cluster-"));
  const nodes: RunningServer[] = [];
  try {
    await ensureDatabase(dbUrl);
    await migrate(dbUrl);
    const roomId = await seed(dbUrl);
    const env = {
      DATABASE_URL: dbUrl,
      REDIS_URL,
      REDIS_PREFIX: prefix,
      NEXTAUTH_SECRET: `bench-${randomUUID()}`,
      LOG_LEVEL: "warn",
    };
    for (const i of [1, 2]) {
      const node = await startServer({ ...env, DATA_DIR: path.join(tmp, `node${i}`) }, { nodeArgs: GC_ARGS });
      pinTree(node.proc.pid as number, SERVER_CORE);
      nodes.push(node);
    }
    const [node1, node2] = nodes as [RunningServer, RunningServer];
    o.log(
      `cluster: two nodes up (${node1.url}, ${node2.url}) on ${new URL(PG_URL).host} and Redis ${new URL(REDIS_URL).host}`,
    );
    const cookies: string[] = [];
    for (let i = 0; i < ROOM; i++)
      cookies.push(await signInCookie(node1.url, `bench${i}`, PASSWORD, { existing: true }));

    const connect = async (receiversOn: RunningServer) => {
      const base = { cmd: "connect", kind: "beacon", roomId, concurrency: 50, group: 0 } as const;
      await o.gen.send<ConnectReply>({
        ...base,
        base: node1.url,
        count: SENDERS,
        cookies: cookies.slice(0, SENDERS),
        measure: false,
      });
      await o.gen.send<ConnectReply>({
        ...base,
        base: receiversOn.url,
        count: ROOM - SENDERS,
        cookies: cookies.slice(SENDERS),
        sends: false,
      });
      await new Promise((r) => setTimeout(r, 2_000)); // joins and presence settle
      for (let i = 0; ; i++) {
        const w = await o.gen.send<RunReply>({ cmd: "run", rate: 50, durationMs: 500, drainMs: 500 });
        if (w.lost === 0 && w.duplicates === 0) break;
        if (i === 10) throw new Error("cluster: warm-up never delivered everything");
      }
    };
    const measured = async (rate: number, durationMs: number): Promise<Run> => {
      const c1 = cpuSecondsOf(node1.proc.pid as number);
      const c2 = cpuSecondsOf(node2.proc.pid as number);
      await Promise.all([loopP99(node1), loopP99(node2)]);
      const r = await o.gen.send<RunReply>({ cmd: "run", rate, durationMs, drainMs: 1_000 });
      const [l1, l2] = await Promise.all([loopP99(node1), loopP99(node2)]);
      const secs = durationMs / 1000;
      return {
        ...r,
        rate,
        pass: r.lost === 0 && r.duplicates === 0 && r.p99 <= o.p99LimitMs && r.cpu < o.genCpuLimit,
        node1Cpu: (cpuSecondsOf(node1.proc.pid as number) - c1) / secs,
        node2Cpu: (cpuSecondsOf(node2.proc.pid as number) - c2) / secs,
        node1LoopP99Ms: l1,
        node2LoopP99Ms: l2,
      };
    };
    const text = (name: string, r: Run) =>
      `cluster (${name}): ${r.rate} msg/s → ${Math.round(r.deliveredPerSec)} deliveries/s, p50 ${r.p50.toFixed(2)} / p99 ${r.p99.toFixed(2)} ms, lost ${r.lost}, dup ${r.duplicates}, node 1 CPU ${(r.node1Cpu * 100).toFixed(0)}%, node 2 CPU ${(r.node2Cpu * 100).toFixed(0)}%, event loop p99 ${r.node1LoopP99Ms.toFixed(1)} / ${r.node2LoopP99Ms.toFixed(1)} ms, generator CPU ${(r.cpu * 100).toFixed(0)}%`;

    /** The ramp of the fan-out part: ×stepFactor per step until a step fails twice. */
    const ramp = async (name: string, receiversOn: RunningServer): Promise<Placement> => {
      await connect(receiversOn);
      try {
        const steps: Run[] = [];
        let generatorBound = false;
        for (let rate = Math.round(2_000 / (ROOM - 1)); ; rate = Math.ceil(rate * o.stepFactor)) {
          let r = await measured(rate, o.stepMs);
          if (!r.pass && r.cpu < o.genCpuLimit) {
            steps.push(r);
            o.log(`${text(name, r)}: failed, once more`);
            r = await measured(rate, o.stepMs);
          }
          steps.push(r);
          o.log(text(name, r));
          if (r.cpu >= o.genCpuLimit) generatorBound = true;
          if (!r.pass || generatorBound || steps.length >= 25) break;
        }
        const ok = steps.filter((s) => s.pass);
        return {
          steps,
          maxDeliveredPerSec: ok.length ? Math.max(...ok.map((s) => s.deliveredPerSec)) : 0,
          generatorBound,
          fixed: [],
        };
      } finally {
        await o.gen.send({ cmd: "close" });
      }
    };
    const single = await ramp("single", node1);
    const cluster = await ramp("cluster", node2);
    // Half the single node's best rate; if no step passed (a machine busy with other work), the
    // first step's rate, so that the placements are still compared at one load.
    const best = Math.max(...single.steps.filter((s) => s.pass).map((s) => s.rate));
    const fixedRate = Number.isFinite(best)
      ? Math.max(1, Math.round(best / 2))
      : (single.steps[0]?.rate ?? Math.round(2_000 / (ROOM - 1)));
    for (let round = 0; round < o.fixedRounds; round++)
      for (const [name, placement, on] of [
        ["single", single, node1],
        ["cluster", cluster, node2],
      ] as const) {
        await connect(on);
        try {
          await measured(fixedRate, o.fixedMs); // unmeasured: warms the placement up
          const r = await measured(fixedRate, o.fixedMs);
          placement.fixed.push(r);
          o.log(`${text(`${name}, fixed`, r)}`);
        } finally {
          await o.gen.send({ cmd: "close" });
        }
      }
    const singleP99Ms = median(single.fixed.map((r) => r.p99));
    const clusterP99Ms = median(cluster.fixed.map((r) => r.p99));
    const p99Ratio = singleP99Ms > 0 ? Number((clusterP99Ms / singleP99Ms).toFixed(3)) : null;
    o.log(
      `cluster: max ${Math.round(single.maxDeliveredPerSec)} deliveries/s on one node, ${Math.round(cluster.maxDeliveredPerSec)} across two; p99 at ${fixedRate} msg/s ${singleP99Ms.toFixed(2)} vs ${clusterP99Ms.toFixed(2)} ms (${p99Ratio}×)`,
    );
    return { room: ROOM, senders: SENDERS, single, cluster, fixedRate, singleP99Ms, clusterP99Ms, p99Ratio };
  } finally {
    for (const n of nodes) await n.stop();
    await rm(tmp, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    const redis = await connectRedis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}
