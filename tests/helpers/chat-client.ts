// A chat client for multi-process tests: a thin wrapper over the browser's RoomSync
// (lib/realtime/client/room-sync.ts) with an in-memory outbox, so the cluster and crash specs test
// the sync rules users run (join → catch up by seq → live, gap repair, an ordered outbox that
// retries with the same clientId). What it adds is failover: it reconnects to any live node.
import { io } from "socket.io-client";
import { orderedMessages, type Timeline } from "@/lib/messages/timeline";
import { memoryOutbox } from "@/lib/realtime/client/outbox-store";
import { type OutboxItem, RoomSync } from "@/lib/realtime/client/room-sync";
import type { ClientSocket } from "@/lib/realtime/client/socket";

export class ChatClient {
  connections = 0;
  private socket?: ClientSocket;
  private sync?: RoomSync;
  private closed = false;
  private urlIndex: number;
  /** clientIds this client queued, to tell its acked messages apart in the timeline. */
  private readonly sent = new Set<string>();

  constructor(
    private readonly urls: () => string[],
    private readonly cookie: string,
    private readonly roomId: string,
    preferred = 0,
    /** The cookie's user; read from the server's /api/auth/session when not given. */
    private userId?: string,
  ) {
    this.urlIndex = preferred;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  get timeline(): Timeline {
    return this.snapshot().timeline;
  }

  /** Queued sends not yet acked (pending, or refused for good). */
  get outbox(): readonly OutboxItem[] {
    return this.snapshot().outbox;
  }

  /** clientId → seq of this client's stored messages (acked, or seen stored after a lost ack). */
  get acked(): Map<string, number> {
    const acked = new Map<string, number>();
    for (const m of this.timeline.bySeq.values())
      if (m.author.id === this.userId && this.sent.has(m.clientId)) acked.set(m.clientId, m.seq);
    return acked;
  }

  private snapshot() {
    if (!this.sync) throw new Error("ChatClient: start() first");
    return this.sync.snapshot();
  }

  private nextUrl(): string | undefined {
    const urls = this.urls();
    return urls[this.urlIndex++ % Math.max(1, urls.length)];
  }

  /** Connect to a live node (trying each in turn) and follow the room. */
  async start(): Promise<void> {
    let url = this.nextUrl();
    while (!url) {
      await sleep(100);
      url = this.nextUrl();
    }
    this.userId ??= await sessionUserId(url, this.cookie);
    const s: ClientSocket = io(url, {
      transports: ["websocket"],
      extraHeaders: { cookie: this.cookie },
      forceNew: true,
      timeout: 3000,
      reconnectionDelay: 50,
      reconnectionDelayMax: 150,
    });
    this.socket = s;
    // Failover: every reconnection attempt goes to the next live node.
    s.io.on("reconnect_attempt", () => this.retarget());
    s.on("connect", () => this.connections++);
    // Socket.IO does not reconnect by itself after a node closed the socket (shutdown) or refused
    // the handshake; the browser's client.ts does, and so does this.
    const again = () => {
      if (this.closed) return;
      setTimeout(
        () => {
          if (this.closed || s.active) return;
          this.retarget();
          s.connect();
        },
        50 + Math.random() * 100,
      );
    };
    s.on("disconnect", (reason) => {
      if (reason === "io server disconnect") again();
    });
    s.on("connect_error", () => {
      if (!s.active) again();
    });
    this.sync = new RoomSync({
      socket: s,
      roomId: this.roomId,
      userId: this.userId,
      outboxStore: memoryOutbox(),
    });
    const sync = this.sync;
    sync.start();
    // Like a page that has opened: joined and caught up.
    await new Promise<void>((resolve) => {
      const check = () => {
        if (!sync.snapshot().synced) return;
        off();
        resolve();
      };
      const off = sync.subscribe(check);
      check();
    });
  }

  private retarget(): void {
    const url = this.nextUrl();
    // The manager opens its next connection to `uri` (socket.io-client 4.8 Manager.open).
    if (url && this.socket) (this.socket.io as unknown as { uri: string }).uri = url;
  }

  send(body: string): void {
    if (!this.sync) throw new Error("ChatClient: start() first");
    this.sent.add(this.sync.send(body));
  }

  seqs(): number[] {
    return orderedMessages(this.timeline).map((m) => m.seq);
  }

  close(): void {
    this.closed = true;
    this.sync?.dispose();
    this.socket?.disconnect();
  }
}

async function sessionUserId(url: string, cookie: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/session`, { headers: { cookie } });
  const session = (await res.json()) as { user?: { id?: string } } | null;
  if (!session?.user?.id) throw new Error(`ChatClient: the cookie is not signed in at ${url}`);
  return session.user.id;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
