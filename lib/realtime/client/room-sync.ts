// Live state of one room, without a framework: the browser's hook (use-room-timeline.ts) and the
// tests' protocol client (tests/helpers/chat-client.ts) both run this, so the multi-node specs test
// the rules users run. join → fetch the gap (new messages by seq, changed ones by rev) → live events;
// the same catch-up on every reconnect and on any seq gap; an outbox that sends in order, survives
// reloads (in a tab) and retries with the same clientId. A window opened around an old message pages
// forward to the present before it follows live messages.
import type { FileView } from "@/lib/files/files.schema";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import { type OutboxItem, type OutboxStore, SharedOutbox } from "@/lib/messages/outbox";
import {
  applyUpdate,
  mergeMessages,
  mergeNewer,
  mergeOlder,
  receiveMessages,
  syncedRevAfterUpdate,
  type Timeline,
  timelineFromPage,
} from "@/lib/messages/timeline";
import { uuid } from "@/lib/uuid";
import type { Ack, RoomRemoved } from "../events";
import { isPermanentError, type RetryLoop, retryLoop } from "./backoff";
import { type ClientSocket, onNewMessages, type PayloadOf, request, whenConnected } from "./socket";

export type { OutboxItem };

const SEND_TIMEOUT_MS = 10_000;
const AUTO_RETRIES = 3;

/** What a view shows; a new object after every change (useSyncExternalStore compares by identity). */
export interface RoomSnapshot {
  readonly timeline: Timeline;
  /** Queued sends (pending or failed), in creation order. */
  readonly outbox: readonly OutboxItem[];
  readonly connected: boolean;
  /** Joined and caught up (messages and changes) since the last connect; live events follow. */
  readonly synced: boolean;
  readonly loadingOlder: boolean;
  readonly loadingNewer: boolean;
  readonly olderError?: string;
  /** Why this room cannot be followed live (a room:join refused for good). */
  readonly syncError?: string;
}

/** The snapshot's own fields (the timeline and outbox are held apart). */
type Status = Omit<RoomSnapshot, "timeline" | "outbox">;

export interface RoomSyncOptions {
  socket: ClientSocket;
  roomId: string;
  userId: string;
  /** Where the outbox lives: shared by a user's tabs (localStorage) or this process only (memory). */
  outboxStore: OutboxStore;
  /** The server-rendered page, if any (otherwise the room is fetched from seq 0). */
  initialPage?: MessagePage;
  /** The room's rev when `initialPage` was read: changes after it are fetched on join. */
  initialRev?: number;
  /** The room is gone for this user (removed, left, deleted); with the server's reason when it said one. */
  onRemoved?: (why?: RoomRemoved) => void;
  /** How long a send waits for its ack before it counts as unavailable (and is retried). */
  sendTimeoutMs?: number;
}

export class RoomSync {
  private readonly socket: ClientSocket;
  private readonly roomId: string;
  private readonly userId: string;
  private readonly outbox: SharedOutbox;
  private readonly onRemoved: (why?: RoomRemoved) => void;
  private readonly sendTimeoutMs: number;

  private tl: Timeline;
  private syncedRev: number;
  private state: Status;
  private snap: RoomSnapshot;
  private readonly listeners = new Set<() => void>();

  private catchingUp: Promise<boolean> | null = null;
  /** The older page being loaded (at most one at a time). */
  private olderInFlight: Promise<void> | null = null;
  private catchUpAgain = false;
  private flushing = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly attempts = new Map<string, number>();
  /** Why a pending item waits (rate limited), shown until it is sent again; not stored. */
  private readonly waiting = new Map<string, string>();
  /** The join → catch-up → changes loop while started; null when stopped. */
  private loop: RetryLoop | null = null;
  private stopListening: (() => void) | null = null;

  constructor(opts: RoomSyncOptions) {
    this.socket = opts.socket;
    this.roomId = opts.roomId;
    this.userId = opts.userId;
    this.outbox = new SharedOutbox(opts.outboxStore, uuid());
    this.onRemoved = opts.onRemoved ?? (() => {});
    this.sendTimeoutMs = opts.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    this.tl = timelineFromPage(opts.initialPage ?? { messages: [], hasMore: false });
    this.syncedRev = opts.initialRev ?? 0;
    this.state = { connected: true, synced: false, loadingOlder: false, loadingNewer: false };
    this.snap = this.build();
  }

  // --- the store (useSyncExternalStore) ---

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  snapshot = (): RoomSnapshot => this.snap;

  private build(): RoomSnapshot {
    const items = this.outbox.items;
    const outbox =
      this.waiting.size === 0
        ? items
        : items.map((i) =>
            this.waiting.has(i.clientId) ? { ...i, error: this.waiting.get(i.clientId) } : i,
          );
    return { ...this.state, timeline: this.tl, outbox };
  }

  private changed(): void {
    this.snap = this.build();
    for (const l of this.listeners) l();
  }

  private set(patch: Partial<Status>): void {
    this.state = { ...this.state, ...patch };
    this.changed();
  }

  private setTimeline(next: Timeline): void {
    if (next === this.tl) return;
    this.tl = next;
    this.changed();
  }

  // --- lifecycle ---

  /** Follow the room: restore the outbox, listen, join and catch up (now, or on connect). */
  start(): void {
    if (this.loop) return;
    const socket = this.socket;
    // Restore what was typed but not confirmed before a reload, minus what the page already shows.
    const shown = [...this.tl.bySeq.values()]
      .filter((m) => m.author.id === this.userId)
      .map((m) => m.clientId);
    this.outbox.load(shown);
    if (this.outbox.items.length > 0) this.changed();

    // join → catch up → changes, retried with backoff while connected until it all succeeds (a
    // timeout in a reconnect storm, a server error): a quiet room has no later event to retry it.
    // Stops on dispose, disconnect (the next connect starts over), or a refusal that retrying cannot
    // fix (not_found: the room is gone for us; validation, forbidden, unauthorized: shown, and tried
    // again only on the next connect).
    const sync: RetryLoop = retryLoop({
      canRetry: () => socket.connected,
      attempt: async () => {
        const joined = await request(socket, "room:join", { roomId: this.roomId });
        if (!sync.active) return "stop";
        if (!joined.ok) {
          if (!isPermanentError(joined.error.code)) return "retry";
          if (joined.error.code === "not_found") this.onRemoved();
          else this.set({ syncError: joined.error.message });
          return "stop";
        }
        if (this.state.syncError !== undefined) this.set({ syncError: undefined });
        if (!(await this.catchUp())) return "retry";
        if (!sync.active) return "stop";
        if (!(await this.syncChanges(joined.data.room.rev))) return "retry";
        if (sync.active && socket.connected) this.set({ synced: true });
        return "done";
      },
    });
    this.loop = sync;

    const onConnect = () => {
      this.set({ connected: true });
      // Sends need membership, not room:join: every socket follows its rooms from the handshake.
      void this.flush();
      sync.start();
    };
    const onDisconnect = () => {
      this.set({ connected: false, synced: false });
      sync.pause();
    };
    const onMessages = (all: ChatMessage[]) => {
      const ms = all.filter((m) => m.roomId === this.roomId);
      if (ms.length === 0 || this.tl.hasNewer) return;
      this.receive(ms);
    };
    const onUpdate = (m: ChatMessage) => {
      if (m.roomId !== this.roomId) return;
      this.setTimeline(applyUpdate(this.tl, m));
      // Only message:changes may skip revs (a reconnect's live updates come before its catch-up).
      this.syncedRev = syncedRevAfterUpdate(this.syncedRev, this.tl, m);
    };
    const onRemovedEvent = (why: RoomRemoved) => {
      if (why.roomId === this.roomId) this.onRemoved(why);
    };
    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    const offMessages = onNewMessages(socket, onMessages);
    socket.on("message:updated", onUpdate);
    socket.on("message:deleted", onUpdate);
    socket.on("room:removed", onRemovedEvent);
    this.stopListening = () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      offMessages();
      socket.off("message:updated", onUpdate);
      socket.off("message:deleted", onUpdate);
      socket.off("room:removed", onRemovedEvent);
    };
    if (socket.connected) onConnect();
    else {
      this.set({ connected: false });
      socket.connect();
    }
  }

  /** Stop following the room (unmount, room change); start() may follow it again. */
  dispose(): void {
    if (!this.loop) return;
    this.outbox.release();
    this.stopListening?.();
    this.stopListening = null;
    clearTimeout(this.retryTimer);
    this.loop.dispose();
    this.loop = null;
    if (this.state.synced) this.set({ synced: false });
    if (this.socket.connected) void request(this.socket, "room:leave", { roomId: this.roomId });
  }

  // --- the outbox shared with other tabs ---

  /** Another tab changed the outbox (queued, sent, discarded or released an item): show it, send what is now ours. */
  outboxChanged(): void {
    this.outbox.refresh();
    this.changed();
    void this.flush();
  }

  /**
   * This tab is going away (closed, reloaded, into the bfcache): other tabs, or this page once
   * reloaded, may send its unsent messages at once instead of after FOREIGN_SEND_AFTER_MS.
   */
  release(): void {
    this.outbox.release();
  }

  // --- reading ---

  /** Stored messages are no longer queued: drop mine from the outbox (every tab's copy). */
  private settle(messages: readonly ChatMessage[]): void {
    const mine = messages.filter((m) => m.author.id === this.userId).map((m) => m.clientId);
    if (mine.length > 0 && this.outbox.remove(mine)) this.changed();
  }

  /**
   * Fetch everything after the last contiguous seq we hold (not in a window into the past). False
   * when a request failed (offline, timeout, server error): the caller retries.
   */
  private catchUp(): Promise<boolean> {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return this.catchingUp;
    }
    const run = async () => {
      do {
        this.catchUpAgain = false;
        for (;;) {
          if (this.tl.hasNewer) return true;
          const res = await request(this.socket, "message:list", {
            roomId: this.roomId,
            after: this.tl.through,
            limit: 100,
          });
          if (!res.ok) return false;
          // A fetched page is contiguous with the window by construction.
          this.settle(res.data.messages);
          this.setTimeline(mergeMessages(this.tl, res.data.messages));
          if (!res.data.hasMore) break;
        }
      } while (this.catchUpAgain);
      return true;
    };
    this.catchingUp = run().finally(() => {
      this.catchingUp = null;
    });
    return this.catchingUp;
  }

  /**
   * A catch-up outside the sync loop (a live gap, the end of paging forward, jump to latest): if it
   * fails, the loop retries the sync with backoff, as a quiet room has no later event to.
   */
  private catchUpOrRetry(): void {
    void this.catchUp().then((ok) => {
      if (!ok) this.loop?.retrySoon();
    });
  }

  /**
   * Live messages and send acks (protocol rule 4, per message): an old one outside the window (a
   * retried send's ack) never extends it; one that skips ahead fetches the gap.
   */
  private receive(messages: ChatMessage[], opts: { keepAhead?: boolean } = {}): void {
    this.settle(messages);
    const r = receiveMessages(this.tl, messages, opts);
    this.setTimeline(r.timeline);
    if (r.gap) this.catchUpOrRetry();
  }

  /** Fetch edits, deletes and reaction changes to loaded messages made while we were away. */
  private async syncChanges(roomRev: number): Promise<boolean> {
    const t = this.tl;
    if (t.oldest === null) {
      this.syncedRev = Math.max(this.syncedRev, roomRev);
      return true;
    }
    const range = { fromSeq: t.oldest, toSeq: t.through };
    for (;;) {
      const sinceRev = this.syncedRev;
      const res = await request(this.socket, "message:changes", { roomId: this.roomId, sinceRev, ...range });
      if (!res.ok) return false;
      let next = this.tl;
      for (const m of res.data.messages) next = applyUpdate(next, m);
      this.setTimeline(next);
      // Page by page: a failure later resumes after what is applied. `rev` is the cursor.
      this.syncedRev = Math.max(this.syncedRev, res.data.rev);
      if (!res.data.hasMore) break;
      if (res.data.rev <= sinceRev) return false; // a cursor that does not move: retry later
    }
    this.syncedRev = Math.max(this.syncedRev, roomRev);
    return true;
  }

  /**
   * A history page the reader asked for (older, newer, around a message, latest). It is a read: on a
   * page that is still connecting it waits for the socket instead of failing with "offline".
   */
  private async listPage(payload: PayloadOf<"message:list">) {
    await whenConnected(this.socket);
    return request(this.socket, "message:list", payload);
  }

  /**
   * Load the page before the oldest loaded message. One older page is in flight at a time: a call
   * while one is out (a reader wheeling past the top fires many) gets that request's promise, and the
   * caller asks again once it landed, from the new oldest seq. So pages arrive one after another,
   * each contiguous with the window, and a view can anchor each prepend on its own.
   */
  loadOlder = (): Promise<void> => {
    if (this.olderInFlight) return this.olderInFlight;
    const t = this.tl;
    if (!t.hasOlder || t.oldest === null) return Promise.resolve();
    const before = t.oldest;
    this.set({ loadingOlder: true, olderError: undefined });
    const run = async () => {
      let res: Ack<MessagePage>;
      try {
        res = await this.listPage({ roomId: this.roomId, before, limit: 50 });
      } finally {
        // Cleared before the snapshot changes: a view reacting to it may ask for the next page.
        this.olderInFlight = null;
      }
      if (!res.ok) return this.set({ loadingOlder: false, olderError: res.error.message });
      this.tl = mergeOlder(this.tl, res.data);
      this.set({ loadingOlder: false });
    };
    this.olderInFlight = run();
    return this.olderInFlight;
  };

  /** In a window into the past: load the next page towards the present. */
  loadNewer = async (): Promise<void> => {
    if (!this.tl.hasNewer || this.state.loadingNewer) return;
    this.set({ loadingNewer: true });
    const res = await this.listPage({ roomId: this.roomId, after: this.tl.through, limit: 100 });
    if (!res.ok) return this.set({ loadingNewer: false });
    this.tl = mergeNewer(this.tl, res.data);
    this.set({ loadingNewer: false });
    if (!this.tl.hasNewer) this.catchUpOrRetry();
  };

  /** Make sure `seq` is loaded (opening a window around it if needed). */
  reveal = async (seq: number): Promise<boolean> => {
    if (this.tl.bySeq.has(seq)) return true;
    const res = await this.listPage({ roomId: this.roomId, around: seq, limit: 50 });
    if (!res.ok) return false;
    this.setTimeline(timelineFromPage(res.data));
    return this.tl.bySeq.has(seq);
  };

  jumpToLatest = async (): Promise<void> => {
    const res = await this.listPage({ roomId: this.roomId, limit: 50 });
    if (!res.ok) return;
    this.setTimeline(timelineFromPage(res.data));
    this.catchUpOrRetry();
  };

  markRead = (seq: number): void => {
    if (this.socket.connected) this.socket.emit("room:read", { roomId: this.roomId, seq }, () => {});
  };

  // --- writing ---

  /**
   * Queue a message and send it when its turn comes. Returns its clientId. `files` are already
   * stored (uploaded): the queued item carries them, so every retry sends the same fileIds.
   */
  send = (body: string, replyToId?: string, files?: readonly FileView[]): string => {
    const clientId = uuid();
    this.outbox.add({
      clientId,
      body,
      replyToId,
      ...(files && files.length > 0 ? { files: [...files] } : {}),
      createdAt: new Date().toISOString(),
    });
    this.changed();
    void this.flush();
    return clientId;
  };

  /** Send a failed message again (same clientId: never a duplicate). */
  retry = (clientId: string): void => {
    if (!this.outbox.retry(clientId)) return;
    this.changed();
    void this.flush();
  };

  discard = (clientId: string): void => {
    this.outbox.remove([clientId], "discarded");
    this.changed();
  };

  /** edit / delete / react: apply the server's answer, or return its error message. */
  private async mutate(res: Promise<Ack<ChatMessage>>): Promise<string | undefined> {
    const r = await res;
    if (!r.ok) return r.error.message;
    this.setTimeline(applyUpdate(this.tl, r.data));
    return undefined;
  }

  edit = (messageId: string, body: string): Promise<string | undefined> =>
    this.mutate(request(this.socket, "message:edit", { roomId: this.roomId, messageId, body }));

  remove = (messageId: string): Promise<string | undefined> =>
    this.mutate(request(this.socket, "message:delete", { roomId: this.roomId, messageId }));

  react = (messageId: string, emoji: string): Promise<string | undefined> =>
    this.mutate(request(this.socket, "reaction:toggle", { roomId: this.roomId, messageId, emoji }));

  pin = (messageId: string, pinned: boolean): Promise<string | undefined> =>
    this.mutate(request(this.socket, "message:pin", { roomId: this.roomId, messageId, pinned }));

  /** Send the queued messages one at a time, in order, while connected (lib/messages/outbox.ts: which). */
  private async flush(): Promise<void> {
    if (this.flushing || !this.loop) return;
    this.flushing = true;
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    try {
      this.outbox.refresh();
      for (;;) {
        const { item: next, waitMs } = this.outbox.nextToSend();
        if (!socket.connected || !this.loop) return;
        if (!next) {
          // Another tab's recent message comes first: its tab sends it; look again when it is due.
          if (waitMs !== undefined) this.retryTimer = setTimeout(() => void this.flush(), waitMs);
          return;
        }
        const res = await request(
          socket,
          "message:send",
          {
            roomId: this.roomId,
            clientId: next.clientId,
            body: next.body,
            ...(next.replyToId ? { replyToId: next.replyToId } : {}),
            ...(next.files?.length ? { fileIds: next.files.map((f) => f.id) } : {}),
          },
          this.sendTimeoutMs,
        );
        if (res.ok) {
          this.attempts.delete(next.clientId);
          this.receive([res.data], { keepAhead: true });
          continue;
        }
        // Acked or discarded meanwhile (here or in another tab): nothing left to retry.
        const item = this.outbox.get(next.clientId);
        if (!item) continue;
        const code = res.error.code;
        if (code === "unavailable" || code === "internal" || code === "rate_limited") {
          // Transient: keep order, try again shortly (same clientId, so never a duplicate).
          const n = (this.attempts.get(item.clientId) ?? 0) + 1;
          this.attempts.set(item.clientId, n);
          if (code === "rate_limited") {
            // Say why it waits, then send it (same clientId) when the limit allows.
            this.waiting.set(item.clientId, res.error.message);
            this.changed();
            this.retryTimer = setTimeout(() => {
              this.waiting.delete(item.clientId);
              this.changed();
              void this.flush();
            }, res.error.retryAfterMs ?? 1000);
            return;
          }
          if (n < AUTO_RETRIES || !socket.connected) {
            this.retryTimer = setTimeout(() => void this.flush(), res.error.retryAfterMs ?? 1000 * n);
            return;
          }
        }
        this.outbox.fail(item.clientId, res.error.message);
        this.attempts.delete(item.clientId);
        this.changed();
      }
    } finally {
      this.flushing = false;
    }
  }
}
