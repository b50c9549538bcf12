// Can this process use its database? Asked by /api/ready (server.ts) and /api/health (Next), both
// unauthenticated, so a flood of them must cost the database nothing extra: they share one check on the
// app's pool (no connection of their own), started at most once a second however many callers ask.
import { dbPool } from "@/lib/db/client";
import { pendingMigrationsOn } from "@/lib/db/migrator";

export interface DatabaseStatus {
  db: "ok" | "unreachable";
  migrations: "ok" | "pending" | "unknown";
}

/** How long one answer is reused; callers asking meanwhile share it (or the check still running). */
export const CHECK_MAX_AGE_MS = 1000;
/**
 * How long a check may take before the database counts as unreachable. Callers never wait for it
 * (they get the last answer), so it can allow for a busy process: a loaded event loop or pool delays
 * the answer of a database that is fine.
 */
const CHECK_TIMEOUT_MS = 5000;

export async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        // On a busy event loop the timer can run before the answer that already arrived is read
        // (timers come first in each turn): let pending I/O through once before giving up.
        timer = setTimeout(() => setImmediate(() => reject(new Error("timeout"))), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `check` wrapped so that it starts at most once per `maxAgeMs` and never twice at once
 * (single-flight). Callers get the last finished answer at once while a newer one is being made;
 * only the very first callers wait for a check.
 */
export function cachedCheck<T>(check: () => Promise<T>, maxAgeMs = CHECK_MAX_AGE_MS): () => Promise<T> {
  let started = 0;
  let running: Promise<T> | undefined;
  let answer: Promise<T> | undefined; // the last finished check
  return () => {
    if (!running && Date.now() - started >= maxAgeMs) {
      started = Date.now();
      const current = check();
      running = current;
      const done = () => {
        answer = current;
        running = undefined;
      };
      current.then(done, done);
    }
    return answer ?? (running as Promise<T>);
  };
}

async function checkDatabase(): Promise<DatabaseStatus> {
  // Reading which migrations the database has applied is also the proof that it answers.
  const pending = await withTimeout(pendingMigrationsOn(dbPool()), CHECK_TIMEOUT_MS).catch(() => null);
  if (pending === null) return { db: "unreachable", migrations: "unknown" };
  return { db: "ok", migrations: pending.length === 0 ? "ok" : "pending" };
}

// On globalThis: server.ts (tsx) and the Next bundle each load this module and must share one check.
const g = globalThis as unknown as { __beaconDbStatus?: () => Promise<DatabaseStatus> };

/** The database's status, checked on the app's pool at most once a second per process. */
export function databaseStatus(): Promise<DatabaseStatus> {
  g.__beaconDbStatus ??= cachedCheck(checkDatabase);
  return g.__beaconDbStatus();
}
