// `npm run measure`: the figures quoted in closing notes. Room page and history API latency (p50/p99)
// for a room of 1,000 messages vs one of 100,000 (keyset pagination keeps them equal), search latency
// over 1,000,000 messages (and hostile queries over 300,000 messages the searcher cannot see), the
// /api/ready flood, first-start and restart time. Needs a current build (`npm run build`).
// Not part of `npm test`. `--only=history|search|hostile|ready|startup` runs one part (`hostile` is
// the first half of `search`).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sampleLatency, seedMessages as seed } from "./measure-lib";
import { readyFlood } from "./ready-flood";
import { signInCookie, startServer, startServerWithOwnDatabase } from "./server-harness";

const ROUNDS = Number(process.env.MEASURE_ROUNDS ?? 200);

async function time(label: string, fn: () => Promise<void>): Promise<string> {
  const { p50, p99 } = await sampleLatency(fn, ROUNDS);
  return `| ${label} | ${p50.toFixed(2)} | ${p99.toFixed(2)} |`;
}

const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const part = (name: string) => !only || only === name;

async function main() {
  const out: string[] = [];
  if (part("startup")) await startup(out);
  if (part("history") || part("search") || part("hostile")) await latency();
  if (part("ready")) await ready();
  if (out.length > 0) console.info(`\n| start-up | time |\n|---|---|\n${out.join("\n")}`);
}

async function startup(out: string[]) {
  // First start on an empty DATA_DIR, then a restart on the same one (time to the first page served).
  const fresh = await mkdtemp(path.join(os.tmpdir(), "beacon-measure-start-"));
  for (const label of ["first start (empty DATA_DIR)", "restart (same DATA_DIR)"]) {
    const t = Date.now();
    const s = await startServer({ DATA_DIR: fresh, DATABASE_URL: "" });
    const res = await fetch(`${s.url}/signin`);
    if (res.status !== 200) throw new Error(`sign-in page: ${res.status}`);
    out.push(`| ${label} → first page served | ${Date.now() - t} ms |`);
    await s.stop();
  }
  await rm(fresh, { recursive: true, force: true });
}

async function latency() {
  // Latency: one embedded PostgreSQL, seeded directly, served by a production server.
  const { server, databaseUrl, stopAll } = await startServerWithOwnDatabase();
  try {
    const cookie = await signInCookie(server.url, `m${Date.now().toString(36)}`);
    const headers = { cookie, "content-type": "application/json" };
    const me = (await (await fetch(`${server.url}/api/auth/session`, { headers })).json()) as {
      user: { id: string };
    };
    const rows: string[] = [];
    const get = (p: string) => async () => {
      const r = await fetch(`${server.url}${p}`, { headers });
      if (r.status !== 200) throw new Error(`${p}: ${r.status}`);
      await r.arrayBuffer();
    };
    for (const size of part("history") ? [1_000, 100_000] : []) {
      const created = await fetch(`${server.url}/api/rooms`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `measure-${size}-${Date.now()}` }),
      });
      const { room } = (await created.json()) as { room: { id: string } };
      await seed(databaseUrl, room.id, me.user.id, size);
      const n = size.toLocaleString("en-US");
      rows.push(await time(`room page (SSR, latest 50), ${n} msgs`, get(`/rooms/${room.id}`)));
      rows.push(
        await time(`history API newest page, ${n} msgs`, get(`/api/rooms/${room.id}/messages?limit=50`)),
      );
      rows.push(
        await time(
          `history API deep page (before=${Math.floor(size / 2)}), ${n} msgs`,
          get(`/api/rooms/${room.id}/messages?before=${Math.floor(size / 2)}&limit=50`),
        ),
      );
    }
    if (part("search") || part("hostile")) {
      // Hostile searches: 300,000 messages in private rooms, searched by someone in none of them
      // (who sees one small public room): the fallback must not scan what they cannot see.
      const t0 = Date.now();
      const hidden: string[] = [];
      for (let i = 0; i < 3; i++) {
        const created = await fetch(`${server.url}/api/rooms`, {
          method: "POST",
          headers,
          body: JSON.stringify({ name: `hidden-${i}-${Date.now()}`, isPrivate: true }),
        });
        const { room } = (await created.json()) as { room: { id: string; name: string } };
        hidden.push(room.name);
        await seed(databaseUrl, room.id, me.user.id, 100_000);
      }
      const small = await fetch(`${server.url}/api/rooms`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `lobby-${Date.now()}` }),
      });
      await seed(databaseUrl, ((await small.json()) as { room: { id: string } }).room.id, me.user.id, 1_000);
      console.info(`seeded 301,000 messages in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      const outsider = await signInCookie(server.url, `o${Date.now().toString(36)}`);
      const asOutsider = (p: string) => async () => {
        const r = await fetch(`${server.url}${p}`, { headers: { cookie: outsider } });
        if (r.status !== 200) throw new Error(`${p}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      };
      for (const q of ["in:#nosuchroom e", `in:#${hidden[1]} e`, "e", "ticket777"]) {
        rows.push(
          await time(
            `hostile search "${q}", 300,000 msgs not visible`,
            asOutsider(`/api/search?q=${encodeURIComponent(q)}`),
          ),
        );
      }
    }
    if (part("search")) {
      // 1,000,000 messages over 10 rooms the searcher belongs to.
      const total = 1_000_000;
      const t0 = Date.now();
      const names: string[] = [];
      for (let i = 0; i < 10; i++) {
        const created = await fetch(`${server.url}/api/rooms`, {
          method: "POST",
          headers,
          body: JSON.stringify({ name: `search-${i}-${Date.now()}` }),
        });
        const { room } = (await created.json()) as { room: { id: string; name: string } };
        names.push(room.name);
        await seed(databaseUrl, room.id, me.user.id, total / 10);
      }
      console.info(
        `seeded ${total.toLocaleString("en-US")} messages in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
      );
      const queries = [
        "deploy",
        "ticket777",
        "roadmap friday",
        "kuber",
        `postgres in:#${names[3]}`,
        "budget from:@nobody",
      ];
      for (const q of queries) {
        rows.push(await time(`search "${q}", 1,000,000 msgs`, get(`/api/search?q=${encodeURIComponent(q)}`)));
      }
    }
    console.info(`\n| what | p50 ms | p99 ms |\n|---|---|---|\n${rows.join("\n")}`);
    console.info(
      `\n(${ROUNDS} sequential requests each after 20 warm-up, full response read, one client on loopback)`,
    );
  } finally {
    await stopAll();
  }
}

async function ready() {
  // 1,000 concurrent unauthenticated /api/ready calls while a signed-in user keeps working; the
  // database is an embedded PostgreSQL with its default max_connections (100).
  const { server, databaseUrl, stopAll } = await startServerWithOwnDatabase();
  try {
    const cookie = await signInCookie(server.url, `r${Date.now().toString(36)}`);
    const r = await readyFlood(server.url, cookie, databaseUrl, {
      concurrency: 1000,
      rounds: 3,
      signedInWorkers: 10,
    });
    console.info(
      `\n| /api/ready flood (1,000 concurrent callers × 3 calls + 10 signed-in clients) | result |\n|---|---|\n` +
        `| ready 200 / 503 / failed | ${r.ready.ok} / ${r.ready.unavailable} / ${r.ready.failed} |\n` +
        `| signed-in ok / failed | ${r.signedIn.ok} / ${r.signedIn.failed} |\n` +
        `| peak PostgreSQL client connections (pg_stat_activity, sampler included) | ${r.peakConnections} |`,
    );
    if (r.signedIn.failures.length > 0)
      console.info(`first failures: ${r.signedIn.failures.slice(0, 3).join(" · ")}`);
  } finally {
    await stopAll();
  }
}

// Ctrl+C: stop the servers and embedded PostgreSQL this script started (via the exit handlers).
for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => process.exit(130));

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
