// Bench part "storm": a reconnect storm. 10,000 browser tabs (2,000 with --quick) of 500 users (100)
// in 1,000 rooms (200) of 10 members each (so 20 rooms and 20 tabs per user) are connected to one
// Beacon node, each following one open room (bench/storm-generator.ts: the app's own RoomSync,
// SidebarSync, socket options and reconnect rules). The node is stopped with SIGTERM (its graceful
// shutdown) and started again; while it is down, messages are stored into half the rooms by a writer
// on the other side of the outage (Beacon's sendMessage() in this process, on the same database, as a
// second node or the REST API of one would). Every tab comes back by its real backoff and catches up
// its room and its sidebar; tabs that are back send messages meanwhile.
//
// Reports: seconds from the restarted node being ready (and from the SIGTERM) until every tab is back
// and caught up; messages lost (every tab must end up holding every message of its room); errors
// (handshake refusals other than retry_after, failed sends, sidebar failures, sockets closed for good);
// peak PostgreSQL connections (pg_stat_activity, sampled every 50 ms); queries that waited for a
// pooled connection (beacon_db_pool_waits_total); and the ack p99 of sends by tabs that were back.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import type { MessagePage } from "@/lib/messages/messages.schema";
import { signInCookie } from "../scripts/server-harness";
import { cpuSecondsOf, GEN_CORE, pinTree, ROOT, SERVER_CORE, startBeaconProcess } from "./processes";
import type { StormClientSpec, StormCommand, StormReply, VerifyReply } from "./storm-generator";

export interface StormResult {
  clients: number;
  users: number;
  rooms: number;
  membersPerRoom: number;
  /** Messages stored while the node was down (each must reach every tab of its room). */
  downtimeMessages: number;
  /** Seconds from the restarted node being ready until every tab was back and caught up. */
  stormSeconds: number | null;
  /** The same from the SIGTERM (the restart itself included). */
  secondsFromSigterm: number | null;
  /** Seconds the node took to stop and to start again. */
  stopSeconds: number;
  startSeconds: number;
  back: number;
  lost: number;
  errors: number;
  errorKinds: Record<string, number>;
  retryAfter: number;
  transportErrors: number;
  peakDbConnections: number;
  peakDbActive: number;
  poolSize: number;
  poolWaits: number;
  handshakeRefusals: number;
  sendRate: number;
  sends: number;
  sendP50Ms: number;
  sendP99Ms: number;
  sendMaxMs: number;
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  /** CPU of the node, of PostgreSQL and of the tabs' process over the storm (1 = a whole core). */
  serverCpu: number;
  dbCpu: number;
  generatorCpu: number;
}

const PASSWORD = "bench password 1";
const MEMBERS = 10;
const HISTORY = 20;

/** One child process of tabs, with requests matched to replies (a storm command runs long). */
function startTabs(): { send<T>(cmd: StormCommand): Promise<T>; stop(): void } {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--max-old-space-size=6144", "--import", "tsx", path.join(ROOT, "bench", "storm-generator.ts")],
    { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  process.once("exit", () => proc.kill("SIGKILL"));
  pinTree(proc.pid as number, GEN_CORE);
  let queue = Promise.resolve();
  return {
    send<T>(cmd: StormCommand): Promise<T> {
      const p = queue.then(
        () =>
          new Promise<T>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`the storm's tabs exited (${code})`));
            proc.once("exit", onExit);
            proc.once("message", (r: { ok: boolean; data?: T; error?: string }) => {
              proc.off("exit", onExit);
              r.ok ? resolve(r.data as T) : reject(new Error(r.error));
            });
            proc.send(cmd);
          }),
      );
      queue = p.then(
        () => {},
        () => {},
      );
      return p;
    },
    stop: () => proc.kill("SIGTERM"),
  };
}

async function metricTotal(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/api/metrics`)).text();
  const m = new RegExp(`^${name} ([0-9.eE+-]+)$`, "m").exec(text);
  return m ? Number(m[1]) : 0;
}

export async function stormBench(log: (s: string) => void, quick: boolean): Promise<StormResult> {
  const users = quick ? 100 : 500;
  const rooms = users * 2;
  const tabsPerUser = 20;
  const clients = users * tabsPerUser;
  const sendRate = 20;
  const { ensureBuild } = await import("../scripts/build-state");
  ensureBuild();
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-storm-"));
  await chmod(dir, 0o711); // as root, the embedded PostgreSQL runs as "postgres" and must reach dir/pg
  const pgDb = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), password: "bench" });
  const tabs = startTabs();
  let server: Awaited<ReturnType<typeof startBeaconProcess>> | undefined;
  try {
    await ensureDatabase(pgDb.url);
    await migrate(pgDb.url);
    pinTree(pgDb.pid, SERVER_CORE);

    // Users, rooms (room r: members r/2 + k·users/10, k < 10: 20 rooms per user), 20 messages each.
    const { hashPassword } = await import("@/lib/users/password");
    const hash = await hashPassword(PASSWORD);
    // "bench": not counted among the node's connections (pg_stat_activity below).
    const c = new pg.Client({ connectionString: pgDb.url, application_name: "bench" });
    await c.connect();
    const { rows: userRows } = await c.query<{ id: string; username: string }>(
      `INSERT INTO "User" (username, "displayName", "passwordHash")
       SELECT 'storm' || g, 'Storm user ' || g, $1 FROM generate_series(0, $2 - 1) g RETURNING id, username`,
      [hash, users],
    );
    userRows.sort((a, b) => Number(a.username.slice(5)) - Number(b.username.slice(5)));
    const userIds = userRows.map((u) => u.id);
    const { rows: roomRows } = await c.query<{ id: string; name: string }>(
      `INSERT INTO "Room" (name, "nameKey", "ownerId", "lastSeq", "lastMessageAt")
       SELECT 'storm-' || g, 'storm-' || g, $1, $3, now() FROM generate_series(0, $2 - 1) g RETURNING id, name`,
      [userIds[0], rooms, HISTORY],
    );
    roomRows.sort((a, b) => Number(a.name.slice(6)) - Number(b.name.slice(6)));
    const roomIds = roomRows.map((r) => r.id);
    const membersOf = (r: number) =>
      Array.from({ length: MEMBERS }, (_, k) => (Math.floor(r / 2) + (k * users) / MEMBERS) % users);
    const roomsOf: number[][] = Array.from({ length: users }, () => []);
    for (let r = 0; r < rooms; r++) for (const u of membersOf(r)) roomsOf[u]?.push(r);
    await c.query(
      `INSERT INTO "Membership" ("roomId", "userId", role)
       SELECT (m->>0)::uuid, (m->>1)::uuid, 'member' FROM jsonb_array_elements($1::jsonb) m`,
      [JSON.stringify(roomIds.flatMap((id, r) => membersOf(r).map((u) => [id, userIds[u]])))],
    );
    await c.query(
      `INSERT INTO "Message" ("roomId", seq, "authorId", "clientId", body, "createdAt")
       SELECT r.id, g, (SELECT "userId" FROM "Membership" WHERE "roomId" = r.id LIMIT 1), gen_random_uuid(),
              'history ' || g, now() - ((${HISTORY} - g) || ' minutes')::interval
       FROM "Room" r, generate_series(1, ${HISTORY}) g`,
    );
    await c.query("ANALYZE");
    log(`storm: ${users} users, ${rooms} rooms of ${MEMBERS}, ${clients} tabs`);

    const secret = `bench-${randomUUID()}`;
    const env = { DATABASE_URL: pgDb.url, LOG_LEVEL: "warn", NEXTAUTH_SECRET: secret };
    server = await startBeaconProcess(env);
    const url = server.url;
    log(`storm: Beacon up in ${server.readyMs} ms; signing in ${users} users`);
    const cookies: string[] = new Array(users);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < users) {
          const i = next++;
          cookies[i] = await signInCookie(url, `storm${i}`, PASSWORD, { existing: true });
        }
      }),
    );
    // Tab t of user u has room roomsOf[u][t] open (each of the user's 20 rooms in one of its tabs).
    const specs: StormClientSpec[] = [];
    for (let t = 0; t < tabsPerUser; t++)
      for (let u = 0; u < users; u++)
        specs.push({
          cookie: cookies[u] as string,
          userId: userIds[u] as string,
          roomId: roomIds[(roomsOf[u] as number[])[t % (roomsOf[u] as number[]).length] as number] as string,
        });
    // What each room's page renders (a tab opens with it): its latest messages, and its rev.
    const pages: Record<string, { page: MessagePage; rev: number }> = {};
    const { rows: revs } = await c.query<{ id: string; rev: number }>(`SELECT id, rev FROM "Room"`);
    for (const [r, roomId] of roomIds.entries()) {
      const res = await fetch(`${url}/api/rooms/${roomId}/messages?limit=50`, {
        headers: { cookie: cookies[membersOf(r)[0] as number] as string },
      });
      if (!res.ok) throw new Error(`room page of ${roomId}: ${res.status}`);
      pages[roomId] = {
        page: (await res.json()) as MessagePage,
        rev: revs.find((x) => x.id === roomId)?.rev ?? 0,
      };
    }
    const opened = await tabs.send<{ ms: number }>({
      cmd: "open",
      base: url,
      clients: specs,
      pages,
      concurrency: 100,
    });
    log(`storm: ${clients} tabs connected and synced in ${(opened.ms / 1000).toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 3_000)); // presence and sidebars settle

    await tabs.send({ cmd: "arm" });
    const tKill = Date.now();
    const stopped = await server.stop("SIGTERM");
    const stopSeconds = (Date.now() - tKill) / 1000;
    log(`storm: SIGTERM → exited (code ${stopped.code}) in ${stopSeconds.toFixed(1)} s`);

    // The other side of the outage: messages stored into half the rooms while the node is down.
    Object.assign(process.env, { DATABASE_URL: pgDb.url, RATE_LIMIT_SCALE: "1000000" });
    const { sendMessage } = await import("@/lib/messages/messages.service");
    const { disconnectDb } = await import("@/lib/db/client");
    const downtimeMessages = rooms / 2;
    for (let i = 0; i < downtimeMessages; i++) {
      const r = (i * 2 + 1) % rooms;
      const author = userIds[membersOf(r)[i % MEMBERS] as number] as string;
      await sendMessage(
        { id: author, username: "storm", displayName: "Storm" },
        { roomId: roomIds[r], clientId: randomUUID(), body: `while down ${i}` },
      );
    }
    await disconnectDb();
    const lastSeqs = async () => {
      const { rows } = await c.query<{ id: string; lastSeq: number }>(`SELECT id, "lastSeq" FROM "Room"`);
      return Object.fromEntries(rows.map((r) => [r.id, r.lastSeq]));
    };
    const targets = await lastSeqs();

    // Peak connections to PostgreSQL from the restart on (the node's: the bench's own are excluded).
    const sampler = new pg.Client({ connectionString: pgDb.url, application_name: "bench" });
    await sampler.connect();
    let peakDbConnections = 0;
    let peakDbActive = 0;
    let sampling = true;
    const sampled = (async () => {
      while (sampling) {
        const { rows } = await sampler.query<{ total: number; active: number }>(
          `SELECT count(*)::int AS total, count(*) FILTER (WHERE state <> 'idle')::int AS active
           FROM pg_stat_activity WHERE backend_type = 'client backend' AND application_name <> 'bench'`,
        );
        peakDbConnections = Math.max(peakDbConnections, rows[0]?.total ?? 0);
        peakDbActive = Math.max(peakDbActive, rows[0]?.active ?? 0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    // Back up; the tabs measure from here (they are already trying, by their backoff).
    const cpu0 = { s: 0, d: cpuSecondsOf(pgDb.pid) };
    const storm = tabs.send<StormReply>({
      cmd: "storm",
      targets,
      rate: sendRate,
      timeoutMs: 120_000,
      tailMs: 2_000,
    });
    const tStart = Date.now();
    server = await startBeaconProcess(env);
    const tReady = Date.now();
    const startSeconds = (tReady - tStart) / 1000;
    cpu0.s = cpuSecondsOf(server.proc.pid as number);
    log(`storm: restarted, ready in ${startSeconds.toFixed(1)} s`);
    const r = await storm;
    const stormSecondsRaw = r.allBackAt === null ? null : (r.allBackAt - tReady) / 1000;
    const wall = (Date.now() - tReady) / 1000;
    const serverCpu = (cpuSecondsOf(server.proc.pid as number) - cpu0.s) / wall;
    const dbCpu = (cpuSecondsOf(pgDb.pid) - cpu0.d) / wall;
    sampling = false;
    await sampled;
    await sampler.end();
    const poolWaits = await metricTotal(server.url, "beacon_db_pool_waits_total");
    const handshakeRefusals = await metricTotal(server.url, "beacon_handshake_retry_after_total");
    const v = await tabs.send<VerifyReply>({ cmd: "verify", finals: await lastSeqs(), timeoutMs: 30_000 });
    if (v.lost > 0) log(`storm: ${v.clientsMissing} tabs miss messages, e.g. ${v.examples.join("; ")}`);
    await c.end();
    const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
    const result: StormResult = {
      clients,
      users,
      rooms,
      membersPerRoom: MEMBERS,
      downtimeMessages,
      stormSeconds: stormSecondsRaw === null ? null : Number(stormSecondsRaw.toFixed(2)),
      secondsFromSigterm: r.allBackAt === null ? null : Number(((r.allBackAt - tKill) / 1000).toFixed(2)),
      stopSeconds: Number(stopSeconds.toFixed(2)),
      startSeconds: Number(startSeconds.toFixed(2)),
      back: r.back,
      lost: v.lost,
      errors,
      errorKinds: r.errors,
      retryAfter: r.retryAfter,
      transportErrors: r.transportErrors,
      peakDbConnections,
      peakDbActive,
      poolSize: 10,
      poolWaits,
      handshakeRefusals,
      sendRate,
      sends: r.sends,
      sendP50Ms: r.sendP50,
      sendP99Ms: r.sendP99,
      sendMaxMs: r.sendMax,
      deliveryP50Ms: r.deliveryP50,
      deliveryP99Ms: r.deliveryP99,
      serverCpu: Number(serverCpu.toFixed(2)),
      dbCpu: Number(dbCpu.toFixed(2)),
      generatorCpu: Number(r.cpu.toFixed(2)),
    };
    log(
      `storm: ${r.back}/${clients} back and caught up ${stormSecondsRaw === null ? "NOT within the timeout" : `${stormSecondsRaw.toFixed(1)} s after the node was ready (${result.secondsFromSigterm} s after SIGTERM)`}; lost ${v.lost}, errors ${errors}${errors ? ` ${JSON.stringify(r.errors)}` : ""}, retry_after ${r.retryAfter}, transport errors ${r.transportErrors}; peak PostgreSQL connections ${peakDbConnections} (active ${peakDbActive}), pool waits ${poolWaits}; sends ${r.sends} at ${sendRate}/s: ack p50 ${r.sendP50.toFixed(1)} / p99 ${r.sendP99.toFixed(1)} / max ${r.sendMax.toFixed(1)} ms, delivery p99 ${r.deliveryP99.toFixed(1)} ms; CPU: server ${(serverCpu * 100).toFixed(0)}%, PostgreSQL ${(dbCpu * 100).toFixed(0)}%, tabs ${(r.cpu * 100).toFixed(0)}%`,
    );
    return result;
  } finally {
    await tabs.send({ cmd: "close" }).catch(() => {});
    tabs.stop();
    await server?.stop().catch(() => {});
    await pgDb.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
