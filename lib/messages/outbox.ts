// The outbox of unconfirmed sends, persisted per user and room in localStorage so it survives a
// reload, and shared by every tab of that user and room (one entry). localStorage has no
// transactions and tabs may read each other's writes late, so the rules never depend on timing:
// - An item leaves the outbox only through a tombstone (`done`: its clientId was acked or
//   discarded), never because a tab did not find it in storage. Every write merges what is stored
//   with what the tab holds: items by clientId (the higher `v`, bumped by each status change, wins),
//   tombstones by union. A lost write is repaired by the next one.
// - Every tab sends, one at a time and in creation order (protocol rule 5). A tab sends another
//   tab's item only once that item is older than `FOREIGN_SEND_AFTER_MS` (its own tab had time to
//   send it, or is gone: crashed, killed in the background) or its tab released it (closed,
//   reloaded), and never skips over it, so order holds across tabs. Two tabs sending the same item is harmless: the server stores a
//   clientId once and answers the second with the stored message.

import type { FileView } from "@/lib/files/files.schema";

/** How long an item belongs to the tab that queued it before any other tab may send it too. */
export const FOREIGN_SEND_AFTER_MS = 15_000;
/**
 * How long a tombstone is kept. A discarded message must never be sent by a tab that still holds a
 * stale copy, so its tombstone outlives any tab's copy. An acked one only needs to outlast the
 * storage lag between tabs: a resurrected acked item would be re-sent and answered with the stored
 * message (a wasted request), and most tombstones are acks, which keeps the entry small.
 */
const ACKED_TTL_MS = 10 * 60_000;
const DISCARDED_TTL_MS = 7 * 24 * 3600_000;
const MAX_DONE = 500;

export interface OutboxItem {
  clientId: string;
  body: string;
  replyToId?: string;
  /** Files already stored on the server that this message attaches (their ids are sent as fileIds). */
  files?: FileView[];
  createdAt: string;
  status: "pending" | "failed";
  error?: string;
  /** Bumped by each status change (fail, retry): the higher one wins a merge. */
  v?: number;
  /** The tab that queued it (a random id per tab). */
  tab?: string;
  /** When its status last changed (ms since epoch): a foreign item is sent once this is old enough. */
  at?: number;
}

export interface StoredOutbox {
  items: OutboxItem[];
  /** Tombstones: clientId (acked or discarded) → until when it is kept (ms since epoch). */
  done: Record<string, number>;
}

/** The stored outbox; empty when missing or unreadable. An array (entries of older versions) is its items. */
export function parseOutbox(raw: string | null): StoredOutbox {
  const isItem = (i: unknown): i is OutboxItem => {
    const x = i as Partial<OutboxItem> | null;
    return typeof x?.clientId === "string" && typeof x.body === "string" && typeof x.createdAt === "string";
  };
  try {
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (Array.isArray(value)) return { items: value.filter(isItem), done: {} };
    const v = value as Partial<StoredOutbox> | null;
    const done: Record<string, number> = {};
    if (v?.done && typeof v.done === "object")
      for (const [id, at] of Object.entries(v.done)) if (typeof at === "number") done[id] = at;
    return { items: Array.isArray(v?.items) ? v.items.filter(isItem) : [], done };
  } catch {
    return { items: [], done: {} };
  }
}

/** `a` and `b` merged by the rules above, tombstones pruned as of `now`. */
export function mergeOutbox(a: StoredOutbox, b: StoredOutbox, now: number): StoredOutbox {
  const entries = Object.entries({ ...a.done, ...b.done })
    .map(([id, until]) => [id, Math.max(until, a.done[id] ?? 0, b.done[id] ?? 0)] as const)
    .filter(([, until]) => until > now)
    .sort((x, y) => y[1] - x[1])
    .slice(0, MAX_DONE);
  const done = Object.fromEntries(entries);
  const items = new Map<string, OutboxItem>();
  for (const i of [...a.items, ...b.items]) {
    if (i.clientId in done) continue;
    const have = items.get(i.clientId);
    if (!have || (i.v ?? 0) > (have.v ?? 0)) items.set(i.clientId, i);
  }
  return {
    items: [...items.values()].sort((x, y) =>
      x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0,
    ),
    done,
  };
}

/** The localStorage key of a user's outbox in one room. */
const OUTBOX_KEY_PREFIX = "beacon.outbox.";
export function outboxKey(userId: string, roomId: string): string {
  return `${OUTBOX_KEY_PREFIX}${userId}.${roomId}`;
}

/** Set once this tab signed out: it must not write an outbox back after clearing them. */
let clearedBySignOut = false;

/** A tab's outbox in localStorage (`key`: outboxKey). After a sign-out it keeps nothing. */
export function browserOutboxStore(key: string): OutboxStore {
  return {
    read: () => (clearedBySignOut ? null : localStorage.getItem(key)),
    write: (value) => {
      if (clearedBySignOut || value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    },
  };
}

/**
 * On sign-out: delete every outbox in this browser, so unsent messages (and whom they were for) do
 * not stay behind on a shared computer for the next person. This tab stops writing them too: a room
 * that unmounts or releases its items on pagehide after this would otherwise store them again.
 */
export function clearBrowserOutboxes(): void {
  clearedBySignOut = true;
  try {
    const keys: string[] = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(OUTBOX_KEY_PREFIX)) keys.push(k);
    }
    for (const k of keys) localStorage.removeItem(k);
  } catch {
    // storage disabled: there is nothing stored to clear
  }
}

/** Where the shared outbox lives (localStorage in a tab); read and write may throw (storage disabled, full). */
export interface OutboxStore {
  read(): string | null;
  /** `null` removes the entry. */
  write(value: string | null): void;
}

/** One tab's view of the shared outbox; every change is merged with storage and written back at once. */
export class SharedOutbox {
  private state: StoredOutbox = { items: [], done: {} };

  constructor(
    private readonly store: OutboxStore,
    readonly tabId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The queued items (pending or failed), in creation order. */
  get items(): OutboxItem[] {
    return this.state.items;
  }

  private stored(): StoredOutbox | null {
    try {
      return parseOutbox(this.store.read());
    } catch {
      return null; // storage disabled: only this tab's items
    }
  }

  /**
   * Take in what other tabs stored (the storage event, a page shown again). Writes only to repair a
   * lost update: an item this tab holds that storage lacks without a tombstone.
   */
  refresh(): void {
    const stored = this.stored();
    if (!stored) return;
    this.state = mergeOutbox(stored, this.state, this.now());
    const there = new Set(stored.items.map((i) => i.clientId));
    if (this.state.items.some((i) => !there.has(i.clientId))) this.write();
  }

  private save(): void {
    const stored = this.stored();
    if (stored) this.state = mergeOutbox(stored, this.state, this.now());
    this.write();
  }

  private write(): void {
    try {
      const empty = this.state.items.length === 0 && Object.keys(this.state.done).length === 0;
      this.store.write(empty ? null : JSON.stringify(this.state));
    } catch {
      // storage full or disabled: the in-memory outbox still works
    }
  }

  /** On mount: what is stored, minus what the page already shows as stored (`shown`: clientIds). */
  load(shown: Iterable<string>): void {
    this.refresh();
    const held = new Set(this.state.items.map((i) => i.clientId));
    const sent = [...shown].filter((id) => held.has(id));
    if (sent.length > 0) this.remove(sent);
  }

  add(item: Pick<OutboxItem, "clientId" | "body" | "replyToId" | "files" | "createdAt">): void {
    this.state = {
      ...this.state,
      items: [...this.state.items, { ...item, status: "pending", v: 0, tab: this.tabId, at: this.now() }],
    };
    this.save();
  }

  /** Acked (stored on the server) or discarded: gone from every tab. True when one was held. */
  remove(clientIds: Iterable<string>, why: "acked" | "discarded" = "acked"): boolean {
    const ids = new Set(clientIds);
    const until = this.now() + (why === "discarded" ? DISCARDED_TTL_MS : ACKED_TTL_MS);
    const done = { ...this.state.done };
    for (const id of ids) done[id] = Math.max(until, done[id] ?? 0);
    const items = this.state.items.filter((i) => !ids.has(i.clientId));
    const held = items.length !== this.state.items.length;
    this.state = { items, done };
    if (held) this.save();
    return held;
  }

  /**
   * This tab is going away (closed, reloaded, switched rooms): its unsent items are anyone's to
   * send now. Only a shortcut: without it (a crash) other tabs send them after the wait.
   */
  release(): void {
    for (const i of this.state.items)
      if (i.tab === this.tabId && i.status === "pending") this.change(i.clientId, { tab: undefined });
  }

  /** The server refused the item for good. */
  fail(clientId: string, error: string): void {
    this.change(clientId, { status: "failed", error });
  }

  /** Send a failed item again (this tab queues it anew). False when it is no longer queued. */
  retry(clientId: string): boolean {
    return this.change(clientId, { status: "pending", error: undefined, tab: this.tabId });
  }

  /** The item, while it is still queued (not acked or discarded, here or in another tab). */
  get(clientId: string): OutboxItem | undefined {
    return this.state.items.find((i) => i.clientId === clientId);
  }

  /**
   * What this tab sends next: the first pending item, if this tab queued it or it is old enough
   * (see the rules above). `wait` is set when another tab's recent item comes first: ask again then.
   */
  nextToSend(): { item?: OutboxItem; waitMs?: number } {
    const first = this.state.items.find((i) => i.status === "pending");
    if (!first) return {};
    if (first.tab === this.tabId || first.tab === undefined) return { item: first };
    const age = this.now() - (first.at ?? 0);
    return age >= FOREIGN_SEND_AFTER_MS ? { item: first } : { waitMs: FOREIGN_SEND_AFTER_MS - age };
  }

  private change(clientId: string, patch: Partial<OutboxItem>): boolean {
    const item = this.get(clientId);
    if (!item) return false;
    const next = { ...item, ...patch, v: (item.v ?? 0) + 1, at: this.now() };
    this.state = { ...this.state, items: this.state.items.map((i) => (i.clientId === clientId ? next : i)) };
    this.save();
    return true;
  }
}
