// The /api/ready flood of issue 13: many concurrent unauthenticated readiness probes while a signed-in
// user keeps working, with the database's connection count sampled throughout. Shared by
// `npm run measure -- --only=ready` (the figures) and e2e/availability.spec.ts (the pass/fail check).
import http from "node:http";
import pg from "pg";

/**
 * One GET on a connection of its own, as a load balancer's health check does. (Reusing idle
 * keep-alive connections, thousands of them, races the server closing them: resets that say nothing
 * about the server's answer.)
 */
function probeOnce(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => {
        body += d;
      });
      res.once("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.once("error", reject);
    });
    req.once("error", reject);
  });
}

function describeError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return `${String(err)} (${cause?.code ?? cause?.message ?? "no cause"})`;
}

export interface FloodResult {
  ready: { ok: number; unavailable: number; failed: number };
  /** The first few answers other than 200, and errors without an answer. */
  readyErrors: string[];
  signedIn: { ok: number; failed: number; failures: string[] };
  /** Most client connections PostgreSQL had open at once (pg_stat_activity), the sampler's included. */
  peakConnections: number;
}

/**
 * `concurrency` callers each sending `rounds` GET /api/ready back to back (so that many are in flight
 * throughout) while `signedInWorkers` signed-in clients (as `cookie`) send
 * reads and writes back to back until the flood is over. `databaseUrl` is the server's database: a connection to it is opened
 * before the flood (it could not be afterwards) and samples pg_stat_activity every few ms.
 */
export async function readyFlood(
  base: string,
  cookie: string,
  databaseUrl: string,
  { concurrency = 1000, rounds = 3, signedInWorkers = 10 } = {},
): Promise<FloodResult> {
  const monitor = new pg.Client({ connectionString: databaseUrl });
  await monitor.connect();
  let peak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { rows } = await monitor.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'",
      );
      peak = Math.max(peak, rows[0]?.n ?? 0);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();

  const result: FloodResult = {
    ready: { ok: 0, unavailable: 0, failed: 0 },
    readyErrors: [],
    signedIn: { ok: 0, failed: 0, failures: [] },
    peakConnections: 0,
  };
  const headers = { cookie, "content-type": "application/json" };
  const signedIn = (i: number): Promise<Response> =>
    i % 3 === 0
      ? fetch(`${base}/api/sidebar`, { headers })
      : i % 3 === 1
        ? fetch(`${base}/api/rooms/public`, { headers })
        : fetch(`${base}/api/rooms`, {
            method: "POST",
            headers,
            body: JSON.stringify({ name: `flood-${Date.now().toString(36)}-${i}` }),
          });
  let flooding = true;
  const probe = async () => {
    try {
      const { status, body } = await probeOnce(`${base}/api/ready`);
      if (status === 200) result.ready.ok++;
      else {
        if (status === 503) result.ready.unavailable++;
        else result.ready.failed++;
        if (result.readyErrors.length < 5) result.readyErrors.push(`${status} ${body.slice(0, 200)}`);
      }
    } catch (err) {
      result.ready.failed++;
      if (result.readyErrors.length < 5) result.readyErrors.push(describeError(err));
    }
  };
  // Signed-in users keep working for as long as the flood lasts (each worker one request at a time).
  const worker = async (w: number) => {
    for (let i = w; flooding || i < w + signedInWorkers * 3; i += signedInWorkers) {
      try {
        const res = await signedIn(i);
        const text = await res.text();
        if (res.ok) result.signedIn.ok++;
        else {
          result.signedIn.failed++;
          result.signedIn.failures.push(`${res.status} ${text.slice(0, 200)}`);
        }
      } catch (err) {
        result.signedIn.failed++;
        result.signedIn.failures.push(describeError(err));
      }
    }
  };
  try {
    // The probes go out first: signed-in requests then need database connections mid-flood.
    const probes = Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = 0; i < rounds; i++) await probe();
      }),
    );
    await new Promise((r) => setTimeout(r, 50));
    const workers = Array.from({ length: signedInWorkers }, (_, w) => worker(w));
    await probes;
    flooding = false;
    await Promise.all(workers);
  } finally {
    sampling = false;
    await sampler.catch(() => {});
    await monitor.end();
  }
  result.peakConnections = peak;
  return result;
}
