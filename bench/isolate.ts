// Keeping one measurement out of the next (issue #20 item 1). Before each measured run the bench
// starts a fresh server process (run.ts) and, for Beacon, settles its database here: what the last
// run left PostgreSQL to do (the statements of a backlog, the vacuum and analyze that 100,000+ new
// rows set off, the dirty pages a checkpoint will write) is done before the next run starts rather
// than during it. Each Beacon run also reports which background events happened while it ran
// (DbCounters), so that an overlap shows in the results instead of as an unexplained stall.
import pg from "pg";

type Log = (s: string) => void;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (up to 2 minutes) until no statement of the server runs and no autovacuum worker does, then
 * runs VACUUM (ANALYZE) and CHECKPOINT, and waits for autovacuum once more.
 */
export async function settleDatabase(dbUrl: string, log: Log): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const t = Date.now();
    await waitFor(
      c,
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE pid <> pg_backend_pid() AND state = 'active'
         AND backend_type IN ('client backend', 'autovacuum worker')`,
      log,
      "the previous run's statements and autovacuum",
    );
    const t1 = Date.now();
    // VACUUM cannot run inside a transaction block; each is its own statement.
    await c.query("VACUUM (ANALYZE)");
    const t2 = Date.now();
    await c.query("CHECKPOINT");
    const t3 = Date.now();
    await waitFor(
      c,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`,
      log,
      "autovacuum",
    );
    log(
      `database settled in ${((Date.now() - t) / 1000).toFixed(1)} s (idle after ${((t1 - t) / 1000).toFixed(1)} s, VACUUM ANALYZE ${((t2 - t1) / 1000).toFixed(1)} s, CHECKPOINT ${((t3 - t2) / 1000).toFixed(1)} s)`,
    );
  } finally {
    await c.end();
  }
}

async function waitFor(c: pg.Client, countSql: string, log: Log, what: string): Promise<void> {
  const t = Date.now();
  // Two zero readings in a row, 250 ms apart: a backlog sends its statements back to back.
  let zeros = 0;
  while (zeros < 2) {
    const { rows } = await c.query<{ n: number }>(countSql);
    zeros = (rows[0]?.n ?? 0) === 0 ? zeros + 1 : 0;
    if (Date.now() - t > 120_000) {
      log(`${what} still busy after 2 min; measuring anyway`);
      return;
    }
    if (zeros < 2) await sleep(250);
  }
}

/** Cumulative counts of PostgreSQL's background events (and sessions opened), read between runs. */
export interface DbCounters {
  checkpoints: number;
  autovacuums: number;
  autoanalyzes: number;
  /** Sessions opened in the database: a pool that opens connections mid-run shows here. */
  sessions: number;
}

export async function readDbCounters(c: pg.Client): Promise<DbCounters> {
  const { rows } = await c.query<DbCounters>(
    `SELECT (SELECT num_done FROM pg_stat_checkpointer)::int AS checkpoints,
            (SELECT coalesce(sum(autovacuum_count), 0) FROM pg_stat_all_tables)::int AS autovacuums,
            (SELECT coalesce(sum(autoanalyze_count), 0) FROM pg_stat_all_tables)::int AS autoanalyzes,
            (SELECT sessions FROM pg_stat_database WHERE datname = current_database())::int AS sessions`,
  );
  return rows[0] as DbCounters;
}

export function dbDelta(a: DbCounters, b: DbCounters): DbCounters {
  return {
    checkpoints: b.checkpoints - a.checkpoints,
    autovacuums: b.autovacuums - a.autovacuums,
    autoanalyzes: b.autoanalyzes - a.autoanalyzes,
    sessions: b.sessions - a.sessions,
  };
}

/** ", during the run: 1 checkpoint, 2 autovacuums" (empty when nothing happened). */
export function dbDeltaText(d: DbCounters | undefined): string {
  if (!d) return "";
  const parts = [
    d.checkpoints && `${d.checkpoints} checkpoint(s)`,
    d.autovacuums && `${d.autovacuums} autovacuum(s)`,
    d.autoanalyzes && `${d.autoanalyzes} autoanalyze(s)`,
    d.sessions && `${d.sessions} new database session(s)`,
  ].filter(Boolean);
  return parts.length ? `, during the run: ${parts.join(", ")}` : "";
}
