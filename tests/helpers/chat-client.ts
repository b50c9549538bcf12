// A protocol-following chat client for multi-process tests: the same rules as the browser
// (ARCHITECTURE §2) on the same timeline code: join → catch up by seq → live, gap fill, an ordered
// outbox that retries with the same clientId, and failover to any live node.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import {
  mergeMessages,
  orderedMessages,
  receiveMessages,
  type Timeline,
  timelineFromPage,
} from "@/lib/messages/timeline";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";

type S = Socket<ServerToClientEvents, ClientToServerEvents>;

export class ChatClient {
  timeline: Timeline = timelineFromPage({ messages: [], hasMore: false });
  readonly acked = new Map<string, number>(); // clientId → seq
  outbox: { clientId: string; body: string }[] = [];
  connections = 0;
  private socket?: S;
  private closed = false;
  private flushing = false;
  private catching: Promise<void> | null = null;
  private again = false;
  private urlIndex: number;

  constructor(
    private readonly urls: () => string[],
    private readonly cookie: string,
    private readonly roomId: string,
    preferred = 0,
  ) {
    this.urlIndex = preferred;
  }

  get connected(): boolean {
    return this.socket?.connected ?? false;
  }

  async start(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    while (!this.closed) {
      const urls = this.urls();
      const url = urls[this.urlIndex % Math.max(1, urls.length)];
      this.urlIndex++;
      if (!url) {
        await sleep(100);
        continue;
      }
      const s: S = io(url, {
        transports: ["websocket"],
        extraHeaders: { cookie: this.cookie },
        reconnection: false,
        forceNew: true,
        timeout: 3000,
      });
      const ok = await new Promise<boolean>((resolve) => {
        s.once("connect", () => resolve(true));
        s.once("connect_error", () => resolve(false));
      });
      if (!ok) {
        s.close();
        await sleep(100);
        continue;
      }
      this.socket = s;
      this.connections++;
      s.on("message:new", (m) => this.onMessages([m]));
      s.on("message:batch", (ms) => this.onMessages(ms));
      s.on("disconnect", () => {
        if (this.closed) return;
        void sleep(50 + Math.random() * 100).then(() => this.connect());
      });
      const joined = await this.request("room:join", { roomId: this.roomId });
      if (!joined.ok) {
        s.disconnect();
        continue;
      }
      await this.catchUp();
      void this.flush();
      return;
    }
  }

  private async request<T>(event: keyof ClientToServerEvents, payload: unknown, ms = 5000): Promise<Ack<T>> {
    const s = this.socket;
    if (!s?.connected) return { ok: false, error: { code: "unavailable", message: "offline" } };
    try {
      // biome-ignore lint/suspicious/noExplicitAny: generic event helper
      return (await (s.timeout(ms) as any).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      return { ok: false, error: { code: "unavailable", message: "timeout" } };
    }
  }

  /** Live messages and send acks by protocol rule 4, as the browser does (receiveMessages). */
  private receive(messages: ChatMessage[], opts: { keepAhead?: boolean } = {}): void {
    const r = receiveMessages(this.timeline, messages, opts);
    this.timeline = r.timeline;
    if (r.gap) void this.catchUp();
  }

  private onMessages(all: ChatMessage[]): void {
    const ms = all.filter((m) => m.roomId === this.roomId);
    if (ms.length > 0) this.receive(ms);
  }

  catchUp(): Promise<void> {
    if (this.catching) {
      this.again = true;
      return this.catching;
    }
    this.catching = (async () => {
      do {
        this.again = false;
        for (;;) {
          const res = await this.request<MessagePage>("message:list", {
            roomId: this.roomId,
            after: this.timeline.through,
            limit: 100,
          });
          if (!res.ok) return;
          this.timeline = mergeMessages(this.timeline, res.data.messages);
          if (!res.data.hasMore) break;
        }
      } while (this.again);
    })().finally(() => {
      this.catching = null;
    });
    return this.catching;
  }

  send(body: string): void {
    this.outbox.push({ clientId: randomUUID(), body });
    void this.flush();
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.outbox.length > 0 && !this.closed) {
        const item = this.outbox[0] as { clientId: string; body: string };
        const res = await this.request<ChatMessage>("message:send", { roomId: this.roomId, ...item });
        if (!res.ok) {
          if (res.error.code === "validation") throw new Error(res.error.message);
          await sleep(100); // node going away: the reconnect (or the next round) retries, same clientId
          if (!this.connected) return;
          continue;
        }
        this.acked.set(item.clientId, res.data.seq);
        this.receive([res.data], { keepAhead: true });
        this.outbox.shift();
      }
    } finally {
      this.flushing = false;
    }
  }

  seqs(): number[] {
    return orderedMessages(this.timeline).map((m) => m.seq);
  }

  close(): void {
    this.closed = true;
    this.socket?.disconnect();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
