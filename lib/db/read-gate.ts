// Catch-up reads share part of the database pool, never all of it. After a node restarts, every
// client comes back within seconds and reads at once: its session and rooms (the handshake), each
// open room's state and the messages it missed (room:join, message:list, message:changes) and its
// sidebar. Each is cheap; ten thousand at once would hold every pooled connection, and a message
// sent meanwhile would wait behind them for one (its ack, and everyone's delivery, with it). So these
// reads go through one gate that lets at most DATABASE_POOL_SIZE − RESERVED run at a time (at least
// one); the rest wait in order, in memory. Writes and everything else take a connection directly, and
// RESERVED connections stay for them. Shared by server.ts and the Next bundle, like the pool.
import { parseEnv } from "@/lib/env";

/** Pooled connections catch-up reads leave to everything else (at most half the pool). */
const RESERVED = 4;

interface Gate {
  size: number;
  active: number;
  queue: (() => void)[];
}

const g = globalThis as unknown as { __beaconReadGate?: Gate };

function gate(): Gate {
  if (!g.__beaconReadGate) {
    const pool = parseEnv().DATABASE_POOL_SIZE;
    g.__beaconReadGate = {
      size: Math.max(1, pool - Math.min(RESERVED, Math.floor(pool / 2))),
      active: 0,
      queue: [],
    };
  }
  return g.__beaconReadGate;
}

/** Runs `read` (one catch-up read: a few queries at most) when the gate has room for it. */
export async function catchUpRead<T>(read: () => Promise<T>): Promise<T> {
  const gt = gate();
  if (gt.active < gt.size) gt.active++;
  else await new Promise<void>((resolve) => gt.queue.push(resolve)); // the turn is handed over
  try {
    return await read();
  } finally {
    const next = gt.queue.shift();
    if (next) next();
    else gt.active--;
  }
}

/** Reads running and waiting right now (metrics, tests). */
export function catchUpReads(): { running: number; waiting: number; size: number } {
  const gt = gate();
  return { running: gt.active, waiting: gt.queue.length, size: gt.size };
}
