// The storm part's clients (bench/storm.ts): a child process pinned to its own core, driven over IPC.
// Each client is a browser tab as the web app builds it, with the app's own code: a socket.io-client
// socket with the tab's options (SOCKET_OPTIONS) and reconnect rules (followServer: socket.io's
// backoff after a lost connection, 250–1000 ms after a node's shutdown, retry_after and other
// refusals with their delays), a RoomSync following the room it has open (join → catch up by seq →
// changes, gap repair, the ordered outbox) and a SidebarSync (GET /api/sidebar on every connect).
// It does not use the fan-out generator's bare wire clients: a storm is about what real clients do
// when they come back.
import * as hdr from "hdr-histogram-js";
import { io } from "socket.io-client";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import { memoryOutbox } from "@/lib/realtime/client/outbox-store";
import { RoomSync } from "@/lib/realtime/client/room-sync";
import { SidebarSync } from "@/lib/realtime/client/sidebar-sync";
import { type ClientSocket, followServer, onNewMessages, SOCKET_OPTIONS } from "@/lib/realtime/client/socket";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";

export interface StormClientSpec {
  cookie: string;
  userId: string;
  /** The room this tab has open. */
  roomId: string;
}

export type StormCommand =
  | {
      cmd: "open";
      base: string;
      clients: StormClientSpec[];
      /** Per room, what its page server-renders (the latest messages, and the room's rev then). */
      pages: Record<string, { page: MessagePage; rev: number }>;
      concurrency: number;
    }
  /** The server is about to be stopped: from now on, comebacks are measured. */
  | { cmd: "arm" }
  /**
   * Per room, the seq every client of it must reach to count as caught up (the messages stored
   * while the server was down). Then: send `rate` msg/s from clients that are back, until every
   * client is back (or `timeoutMs`), and `tailMs` more.
   */
  | { cmd: "storm"; targets: Record<string, number>; rate: number; timeoutMs: number; tailMs: number }
  /** Every client must hold every message of its room up to `finals` (waits up to `timeoutMs`). */
  | { cmd: "verify"; finals: Record<string, number>; timeoutMs: number }
  | { cmd: "close" };

export interface StormReply {
  /** Date.now() when the last client was back and caught up (null: not all within the timeout). */
  allBackAt: number | null;
  back: number;
  clients: number;
  /** Sends from clients that were back: ack latency (send() → stored and acked), ms. */
  sends: number;
  sendP50: number;
  sendP99: number;
  sendMax: number;
  /** Their delivery to the other clients that were connected, ms. */
  deliveryP50: number;
  deliveryP99: number;
  /** Comebacks: handshakes refused with retry_after, and transport errors after `arm`. */
  retryAfter: number;
  transportErrors: number;
  /** Anything a person would see as an error (by kind). */
  errors: Record<string, number>;
  /** Generator CPU over the storm (1 = a whole core). */
  cpu: number;
}

export interface VerifyReply {
  lost: number;
  clientsMissing: number;
  /** The first few clients still missing something, for the log. */
  examples: string[];
}

const SEND_MARK = "storm|";

let base = "";
let pages: Record<string, { page: MessagePage; rev: number }> = {};
let clients: Client[] = [];
let armed = false;
let armedAt = 0;
const errors: Record<string, number> = {};
let retryAfter = 0;
let transportErrors = 0;
const newHistogram = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 120_000_000,
    numberOfSignificantValueDigits: 3,
  });
const sendHist = newHistogram();
const deliveryHist = newHistogram();
let targets: Record<string, number> = {};

function error(kind: string): void {
  errors[kind] = (errors[kind] ?? 0) + 1;
}

class Client {
  readonly socket: ClientSocket;
  readonly sync: RoomSync;
  readonly sidebar: SidebarSync;
  /** Date.now() of the last connect, and of the last sidebar answer after it. */
  connectedAt = 0;
  sidebarAt = 0;
  /** Date.now() when it was back and caught up after `arm` (0: not yet). */
  backAt = 0;
  /** seqs of this tab's own sends, stored (the ack put them in its timeline). */
  private readonly pending = new Map<string, bigint>();

  constructor(readonly spec: StormClientSpec) {
    const s: ClientSocket = io(base, {
      ...SOCKET_OPTIONS,
      forceNew: true,
      extraHeaders: { cookie: spec.cookie, origin: base },
    });
    this.socket = s;
    followServer(s, {
      sessionInDoubt: (retry, why) => {
        // The cookies stay valid for the whole run: any doubt is an error (then retry, as a tab does
        // when /api/auth/session says it is still signed in).
        error(`refused: ${why}`);
        retry();
      },
      closedForGood: (why) => error(`closed: ${why.reason}`),
    });
    s.on("connect", () => {
      this.connectedAt = Date.now();
    });
    s.on("connect_error", (err: Error & { data?: unknown }) => {
      if (!armed) return;
      if (err.message === "retry_after") retryAfter++;
      else if (s.active)
        transportErrors++; // socket.io retries by itself
      else if (err.message !== "unauthorized") error(`refused: ${err.message}`);
    });
    // Delivery latency of the storm's sends, at every connected tab that gets them live.
    onNewMessages(s, (ms) => this.delivered(ms));
    this.sync = new RoomSync({
      socket: s,
      roomId: spec.roomId,
      userId: spec.userId,
      outboxStore: memoryOutbox(),
      // As in a tab: the room page came with its latest messages, the socket catches up from there.
      initialPage: pages[spec.roomId]?.page,
      initialRev: pages[spec.roomId]?.rev,
      onRemoved: () => error("room removed"),
    });
    this.sidebar = new SidebarSync({
      socket: s,
      userId: spec.userId,
      initial: [],
      fetchRooms: async () => {
        const res = await fetch(`${base}/api/sidebar`, { headers: { cookie: spec.cookie } }).catch(
          () => null,
        );
        if (!res?.ok) {
          if (armed) error(`sidebar: ${res?.status ?? "no answer"}`);
          await res?.body?.cancel();
          return null;
        }
        const body = (await res.json()) as { rooms: SidebarRoom[] };
        this.sidebarAt = Date.now();
        this.check();
        return body.rooms;
      },
    });
    this.sync.subscribe(() => this.changed());
  }

  start(): void {
    this.sidebar.start();
    this.sync.start();
  }

  /** Connected, its room joined and caught up to the target, its sidebar read since the connect. */
  get isBack(): boolean {
    const snap = this.sync.snapshot();
    return (
      this.socket.connected &&
      snap.synced &&
      snap.timeline.through >= (targets[this.spec.roomId] ?? 0) &&
      this.sidebarAt >= this.connectedAt &&
      this.connectedAt > armedAt
    );
  }

  private check(): void {
    if (armed && !this.backAt && this.isBack) this.backAt = Date.now();
  }

  private changed(): void {
    this.check();
    if (this.pending.size === 0) return;
    const snap = this.sync.snapshot();
    const queued = new Map(snap.outbox.map((i) => [i.clientId, i]));
    for (const [clientId, t] of this.pending) {
      const item = queued.get(clientId);
      if (!item) {
        this.pending.delete(clientId);
        sendHist.recordValue(Math.max(1, Number((process.hrtime.bigint() - t) / 1000n)));
      } else if (item.error) {
        this.pending.delete(clientId);
        error(`send failed: ${item.error}`);
      }
    }
  }

  send(): void {
    const body = `${SEND_MARK}${process.hrtime.bigint()}|${"x".repeat(100)}`;
    const clientId = this.sync.send(body);
    this.pending.set(clientId, process.hrtime.bigint());
  }

  private delivered(ms: ChatMessage[]): void {
    if (!armed) return;
    const now = process.hrtime.bigint();
    for (const m of ms) {
      if (!m.body.startsWith(SEND_MARK)) continue;
      const stamp = BigInt(m.body.slice(SEND_MARK.length, m.body.indexOf("|", SEND_MARK.length)));
      deliveryHist.recordValue(Math.max(1, Number((now - stamp) / 1000n)));
    }
  }

  /** Seqs of its room up to `final` it does not hold. */
  missing(final: number): number {
    const t = this.sync.snapshot().timeline;
    let n = 0;
    for (let seq = 1; seq <= final; seq++) if (!t.bySeq.has(seq)) n++;
    return n;
  }

  close(): void {
    this.sync.dispose();
    this.sidebar.dispose();
    this.socket.disconnect();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function open(c: Extract<StormCommand, { cmd: "open" }>): Promise<{ ms: number }> {
  base = c.base;
  pages = c.pages;
  const t = Date.now();
  let next = 0;
  const worker = async () => {
    while (next < c.clients.length) {
      const client = new Client(c.clients[next++] as StormClientSpec);
      clients.push(client);
      client.start();
      // In flight at once: `concurrency` (the initial connect is set-up, not measured).
      while (!(client.socket.connected && client.sync.snapshot().synced)) await sleep(5);
    }
  };
  await Promise.all(Array.from({ length: c.concurrency }, worker));
  // Every sidebar answered once.
  while (clients.some((x) => x.sidebarAt === 0)) await sleep(50);
  return { ms: Date.now() - t };
}

async function storm(c: Extract<StormCommand, { cmd: "storm" }>): Promise<StormReply> {
  targets = c.targets;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  let sent = 0;
  let allBackAt: number | null = null;
  let tailEnd = Number.POSITIVE_INFINITY;
  // Sends at `rate` from tabs that are back (connected, synced, caught up), spread over the rooms.
  for (;;) {
    const now = Date.now();
    if (allBackAt === null && clients.every((x) => x.backAt > 0)) {
      allBackAt = Math.max(...clients.map((x) => x.backAt));
      tailEnd = now + c.tailMs;
    }
    if (now >= tailEnd || now - t0 > c.timeoutMs) break;
    const due = Math.floor(((now - t0) / 1000) * c.rate);
    const back = clients.filter((x) => x.backAt > 0);
    while (sent < due && back.length > 0) {
      (back[Math.floor(Math.random() * back.length)] as Client).send();
      sent++;
    }
    if (back.length === 0) sent = due; // nobody to send yet: no burst of catch-up sends later
    await sleep(20);
  }
  const used = process.cpuUsage(cpu0);
  return {
    allBackAt,
    back: clients.filter((x) => x.backAt > 0).length,
    clients: clients.length,
    sends: sendHist.totalCount,
    sendP50: sendHist.getValueAtPercentile(50) / 1000,
    sendP99: sendHist.getValueAtPercentile(99) / 1000,
    sendMax: sendHist.maxValue / 1000,
    deliveryP50: deliveryHist.getValueAtPercentile(50) / 1000,
    deliveryP99: deliveryHist.getValueAtPercentile(99) / 1000,
    retryAfter,
    transportErrors,
    errors: { ...errors },
    cpu: (used.user + used.system) / 1e6 / ((Date.now() - t0) / 1000),
  };
}

async function verify(c: Extract<StormCommand, { cmd: "verify" }>): Promise<VerifyReply> {
  const t = Date.now();
  const missingOf = (x: Client) => x.missing(c.finals[x.spec.roomId] ?? 0);
  // Live deliveries and gap catch-ups still on their way: wait until everyone holds everything.
  while (clients.some((x) => missingOf(x) > 0) && Date.now() - t < c.timeoutMs) await sleep(200);
  const short = clients.filter((x) => missingOf(x) > 0);
  return {
    lost: short.reduce((n, x) => n + missingOf(x), 0),
    clientsMissing: short.length,
    examples: short.slice(0, 5).map((x) => {
      const s = x.sync.snapshot();
      return `${x.spec.roomId}: through ${s.timeline.through} of ${c.finals[x.spec.roomId]}, connected ${x.socket.connected}, synced ${s.synced}`;
    }),
  };
}

process.on("message", async (msg: StormCommand) => {
  try {
    let data: unknown = null;
    if (msg.cmd === "open") data = await open(msg);
    else if (msg.cmd === "arm") {
      armed = true;
      armedAt = Date.now();
      sendHist.reset();
      deliveryHist.reset();
    } else if (msg.cmd === "storm") data = await storm(msg);
    else if (msg.cmd === "verify") data = await verify(msg);
    else {
      for (const x of clients) x.close();
      clients = [];
    }
    process.send?.({ ok: true, data });
  } catch (err) {
    process.send?.({ ok: false, error: String((err as Error)?.stack ?? err) });
  }
});
process.on("disconnect", () => process.exit(0));
