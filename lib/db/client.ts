// The Prisma client singleton and the pg pool under it. Kept on globalThis because server.ts (tsx)
// and the Next bundle each evaluate this module; they must share one pool (docs/architecture.md).
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parseEnv } from "@/lib/env";
import { logger } from "@/lib/logger";
import { PrismaClient } from "./generated/client";

const log = logger.child({ module: "db" });

const g = globalThis as unknown as { __beaconDb?: PrismaClient; __beaconPool?: pg.Pool };

export type Db = PrismaClient;

function pool(): pg.Pool {
  if (g.__beaconPool) return g.__beaconPool;
  // Read fresh, not env()'s copy: the server sets DATABASE_URL at boot (embedded PostgreSQL) and
  // tests point it elsewhere; a pool is created once, so this costs one parse.
  const { DATABASE_URL: connectionString, DATABASE_POOL_SIZE: max } = parseEnv();
  if (!connectionString) throw new Error("DATABASE_URL is not set: the server sets it before first use");
  // Every session in UTC: DateTime columns are `timestamp` without a zone, and defaults such as
  // now() would otherwise store the server's local time (an embedded database inherits the TZ of
  // whoever ran initdb), which reads back hours off.
  const p = new pg.Pool({ connectionString, max, options: "-c TimeZone=UTC" });
  // An idle pooled connection that drops (the database restarted or is shutting down) is only
  // removed from the pool; the next query opens a new one. Unhandled, it would crash the process.
  p.on("error", (err) => log.warn({ err: err.message }, "idle database connection closed"));
  g.__beaconPool = p;
  return p;
}

/** The process-wide Prisma client (created on first use from DATABASE_URL). */
export function db(): PrismaClient {
  g.__beaconDb ??= new PrismaClient({ adapter: new PrismaPg(pool()) });
  return g.__beaconDb;
}

export async function disconnectDb(): Promise<void> {
  const client = g.__beaconDb;
  const p = g.__beaconPool;
  g.__beaconDb = undefined;
  g.__beaconPool = undefined;
  await client?.$disconnect();
  await p?.end();
}

/** PostgreSQL `timestamp` (no zone, as Prisma stores DateTime) is UTC; pg alone would read it as local time. */
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_OID
      ? (s: string) => new Date(`${s.replace(" ", "T")}Z`)
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};

/**
 * Runs a statement on the hot path as a named prepared statement: each pooled connection parses and
 * plans it once, not on every call ($queryRaw re-plans each time; for the insert's CTE that costs
 * more than the insert itself). `name` must be unique per statement text.
 */
export async function prepared<T>(name: string, text: string, values: unknown[]): Promise<T[]> {
  const r = await pool().query({ name, text, values, types });
  return r.rows as T[];
}

/** The app's pool, for plain queries that must not open connections of their own (readiness). */
export function dbPool(): pg.Pool {
  return pool();
}

/** True when `err` (from pg, or wrapped by Prisma and its adapter) carries PostgreSQL's SQLSTATE `state`. */
export function hasSqlState(err: unknown, state: string): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as {
    code?: string;
    originalCode?: string;
    meta?: { driverAdapterError?: unknown };
    cause?: unknown;
  };
  if (e.code === state || e.originalCode === state) return true;
  if (e.meta?.driverAdapterError) return hasSqlState(e.meta.driverAdapterError, state);
  return e.cause ? hasSqlState(e.cause, state) : false;
}

/** True when `err` is a unique-constraint violation (Prisma P2002 or PostgreSQL 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!err || typeof err !== "object") return false;
  const e = err as {
    code?: string;
    kind?: string;
    originalCode?: string;
    meta?: { code?: string; driverAdapterError?: unknown };
    cause?: unknown;
  };
  if (e.code === "P2002" || e.code === "23505") return true;
  if (e.kind === "UniqueConstraintViolation" || e.originalCode === "23505") return true;
  // $queryRaw wraps driver errors as P2010 with the adapter's error in meta.
  if (e.meta?.driverAdapterError) return isUniqueViolation(e.meta.driverAdapterError);
  return e.cause ? isUniqueViolation(e.cause) : false;
}
