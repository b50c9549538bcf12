// The Prisma client singleton. Kept on globalThis because server.ts (tsx) and the Next bundle each
// evaluate this module; they must share one pool (ARCHITECTURE §1).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/client";

const g = globalThis as unknown as { __beaconDb?: PrismaClient };

export type Db = PrismaClient;

function create(): PrismaClient {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set: the server sets it before first use");
  const max = Number(process.env.DATABASE_POOL_SIZE ?? 10);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max }) });
}

/** The process-wide Prisma client (created on first use from DATABASE_URL). */
export function db(): PrismaClient {
  g.__beaconDb ??= create();
  return g.__beaconDb;
}

export async function disconnectDb(): Promise<void> {
  const client = g.__beaconDb;
  g.__beaconDb = undefined;
  await client?.$disconnect();
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
