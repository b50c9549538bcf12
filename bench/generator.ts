// The load generator: a child process of bench/run.ts (pinned to its own core), driven over IPC.
// It opens the clients, sends 150-byte stamped messages at a fixed rate from every client in turn,
// and records, at every receiver, the one-way latency (process.hrtime.bigint() is one monotonic
// clock for the whole machine), losses and duplicates. Commands and replies are in GenCommand/GenReply.
import * as hdr from "hdr-histogram-js";
import { makeBody, readBodies, type ServerKind, WireClient } from "./wire";

export type GenCommand =
  | {
      cmd: "connect";
      kind: ServerKind;
      base: string;
      roomId: string;
      count: number;
      cookies?: string[];
      /** Handshakes in flight at once. */
      concurrency: number;
    }
  | { cmd: "run"; rate: number; durationMs: number; drainMs: number }
  | { cmd: "close" };

export interface ConnectReply {
  connected: number;
  ms: number;
  handshakesPerSec: number;
}

export interface RunReply {
  /** Messages sent, deliveries expected (each message reaches every other client) and received. */
  sent: number;
  expected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Delivered messages per second over the send window. */
  deliveredPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Socket.IO kinds: time from send to the sender's ack (Beacon: the message is stored), ms. */
  ackP50: number;
  ackP99: number;
  /** Sends the server refused (an error ack). */
  refused: number;
  /** Generator CPU use over the send window (1 = one full core). */
  cpu: number;
}

let clients: WireClient[] = [];
/** Per client: how many times it received each message (indexed by gid). */
let seen: Uint8Array[] = [];
let gid = 0;
let counting = false;
let delivered = 0;
let duplicates = 0;
let refused = 0;
const newHistogram = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
  });
const histogram = newHistogram();
const ackHistogram = newHistogram();

function onAck(us: number, ok: boolean): void {
  if (!counting) return;
  ackHistogram.recordValue(Math.max(1, us));
  if (!ok) refused++;
}

function onFrame(index: number, frame: string): void {
  const now = process.hrtime.bigint();
  for (const m of readBodies(frame)) {
    const marks = seen[index];
    if (!marks || m.gid >= marks.length) continue; // a message from before this run
    const times = (marks[m.gid] ?? 0) + 1;
    marks[m.gid] = Math.min(times, 255);
    if (times > 1) duplicates++;
    else {
      delivered++;
      if (counting) histogram.recordValue(Math.max(1, Number((now - m.stamp) / 1000n))); // µs
    }
  }
}

async function connect(c: Extract<GenCommand, { cmd: "connect" }>): Promise<ConnectReply> {
  const t = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < c.count) {
      const i = next++;
      const index = clients.length;
      const client = new WireClient({
        kind: c.kind,
        base: c.base,
        roomId: c.roomId,
        cookie: c.cookies?.[i % c.cookies.length],
        onMessage: (f) => onFrame(index, f),
        onAck,
      });
      clients.push(client);
      seen.push(new Uint8Array(0));
      await client.ready;
    }
  };
  await Promise.all(Array.from({ length: Math.min(c.concurrency, c.count) }, worker));
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  return { connected: c.count, ms, handshakesPerSec: c.count / (ms / 1000) };
}

async function run(c: Extract<GenCommand, { cmd: "run" }>): Promise<RunReply> {
  const total = Math.max(1, Math.round((c.rate * c.durationMs) / 1000));
  // Fresh bookkeeping: gids restart at 0, so frames of an earlier run are ignored by length.
  gid = 0;
  seen = clients.map(() => new Uint8Array(total));
  delivered = 0;
  duplicates = 0;
  refused = 0;
  histogram.reset();
  ackHistogram.reset();
  counting = true;
  const expected = total * (clients.length - 1);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
      const due = Math.min(total, Math.floor(elapsed * c.rate) + 1);
      while (gid < due) {
        const sender = gid % clients.length;
        (seen[sender] as Uint8Array)[gid] = 1; // a sender does not get its own message
        clients[sender]?.send(makeBody(gid, process.hrtime.bigint()));
        gid++;
      }
      if (gid >= total) resolve();
      else setTimeout(tick, 2);
    };
    tick();
  });
  const sendSeconds = Math.max(c.durationMs / 1000, Number(process.hrtime.bigint() - t0) / 1e9);
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6 / sendSeconds;
  // Drain: wait until everything arrived, or nothing new arrived for drainMs.
  let last = -1;
  while (delivered < expected && delivered !== last) {
    last = delivered;
    await new Promise((r) => setTimeout(r, c.drainMs));
  }
  counting = false;
  return {
    sent: total,
    expected,
    delivered,
    lost: expected - delivered,
    duplicates,
    deliveredPerSec: delivered / sendSeconds,
    p50: histogram.getValueAtPercentile(50) / 1000,
    p95: histogram.getValueAtPercentile(95) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    max: histogram.maxValue / 1000,
    ackP50: ackHistogram.getValueAtPercentile(50) / 1000,
    ackP99: ackHistogram.getValueAtPercentile(99) / 1000,
    refused,
    cpu,
  };
}

process.on("message", async (msg: GenCommand) => {
  try {
    if (msg.cmd === "connect") process.send?.({ ok: true, data: await connect(msg) });
    else if (msg.cmd === "run") process.send?.({ ok: true, data: await run(msg) });
    else {
      for (const c of clients) c.close();
      clients = [];
      seen = [];
      process.send?.({ ok: true, data: null });
    }
  } catch (err) {
    process.send?.({ ok: false, error: String((err as Error)?.stack ?? err) });
  }
});
process.on("disconnect", () => process.exit(0));
