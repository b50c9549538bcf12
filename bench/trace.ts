// `npm run bench -- --trace`: what Beacon's server and PostgreSQL did during a run, for finding
// stalls (docs/performance.md, "Stalls"). Files land in bench/results/trace/: pg.log (checkpoints,
// autovacuum, lock waits and statements over 20 ms, each line stamped to the millisecond),
// server.log (the server's output with --trace-gc, each line stamped on arrival) and activity.log
// (pg_stat_activity sampled every 10 ms: every backend that was waiting on something).
// The generator's step lines name the wall-clock time of each stall, to match against these.
import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import path from "node:path";
import pg from "pg";
import { ROOT } from "./processes";

export const TRACE = process.argv.includes("--trace");
const DIR = path.join(ROOT, "bench", "results", "trace");

const files = new Map<string, WriteStream>();
function file(name: string): WriteStream {
  let f = files.get(name);
  if (!f) {
    mkdirSync(DIR, { recursive: true });
    f = createWriteStream(path.join(DIR, name));
    files.set(name, f);
  }
  return f;
}

/** PostgreSQL settings that log what can hold up a commit (only with --trace). */
export const TRACE_PG_SETTINGS: Record<string, string> = {
  log_line_prefix: "%m [%p] %b ",
  log_checkpoints: "on",
  // A pooled connection opened mid-run (the pool grew again) shows as a new backend.
  log_connections: "on",
  log_disconnections: "on",
  log_autovacuum_min_duration: "0",
  log_lock_waits: "on",
  // log_lock_waits reports a wait once it lasts deadlock_timeout.
  deadlock_timeout: "20ms",
  log_min_duration_statement: "20",
};

/** A log callback for startEmbeddedPostgres: every line into pg.log. */
export function pgLog(line: string): void {
  file("pg.log").write(`${line}\n`);
}

/** Node flags for the traced server. */
export const TRACE_NODE_ARGS = ["--trace-gc"];

/** Copies the server's output into server.log, each chunk stamped with the wall-clock time. */
export function traceServer(proc: ChildProcess): void {
  const out = file("server.log");
  const write = (d: Buffer) => {
    const at = new Date().toISOString();
    for (const line of String(d).split("\n")) if (line) out.write(`${at} ${line}\n`);
  };
  proc.stdout?.on("data", write);
  proc.stderr?.on("data", write);
}

/** Samples pg_stat_activity every 10 ms into activity.log until the returned function is called. */
export async function sampleActivity(dbUrl: string): Promise<() => Promise<void>> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  const out = file("activity.log");
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const t = Date.now();
      const { rows } = await c.query<{ line: string }>(
        `SELECT concat_ws(' ', pid, backend_type, state, wait_event_type || ':' || wait_event,
                round(extract(epoch FROM clock_timestamp() - query_start) * 1000) || 'ms',
                left(regexp_replace(query, '\\s+', ' ', 'g'), 60)) AS line
         FROM pg_stat_activity
         WHERE pid <> pg_backend_pid() AND wait_event IS NOT NULL
           AND (state IS DISTINCT FROM 'idle')
           AND wait_event NOT IN ('AutoVacuumMain', 'BgWriterHibernate', 'BgWriterMain',
             'CheckpointerMain', 'WalWriterMain', 'LogicalLauncherMain', 'IoWorkerMain', 'WalSummarizerWait')`,
      );
      if (rows.length) {
        const at = new Date(t).toISOString();
        for (const r of rows) out.write(`${at} ${r.line}\n`);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 10 - (Date.now() - t))));
    }
  })();
  return async () => {
    stop = true;
    await loop;
    await c.end();
  };
}

export async function closeTrace(): Promise<void> {
  await Promise.all([...files.values()].map((f) => new Promise((r) => f.end(r))));
  files.clear();
}
