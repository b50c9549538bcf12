// The outbox of unconfirmed sends, persisted per user and room in localStorage so it survives a
// reload and shared by every tab of that user and room (one key). The rule, so that tabs agree:
// - Each item has one owner, a tab: the one that created it, or took it over (a tab adopts every
//   stored item when it mounts, as the tab that queued them is usually the one just reloaded; a
//   retry takes an item over too). Only the owner sends it, and only the owner's copy (its status)
//   is written over the stored one. A tab that closes releases its items (no owner), and an open
//   tab that sees an item with no owner adopts it, so a queued message is never left unsent.
// - For every item a tab does not own, the stored entry is the truth: its status is the stored one,
//   and once it is gone from storage (acked or discarded in another tab) it is gone from this tab.
//   The same holds for an owned item this tab has seen stored: another tab removed it.
// - A tab removes from storage only what it saw acked or discarded itself (`gone`).
// An item the tab has never seen stored (just created, or storage is failing) is kept in memory.

export interface OutboxItem {
  clientId: string;
  body: string;
  replyToId?: string;
  createdAt: string;
  status: "pending" | "failed";
  error?: string;
  /** The tab that sends this item (a random id per tab); missing in entries older than the rule. */
  owner?: string;
}

/** What a tab knows besides its items, for mergeOutbox. */
export interface OutboxTabState {
  readonly tabId: string;
  /** clientIds this tab saw acked or discarded: removed from storage. */
  readonly gone: ReadonlySet<string>;
  /** clientIds this tab has seen stored (read or written): missing from storage now = removed elsewhere. */
  readonly seen: ReadonlySet<string>;
  /** clientIds whose owner this tab is changing (adopt, retry, release): its copy replaces the stored one. */
  readonly claimed: ReadonlySet<string>;
}

/** The stored outbox, or [] when missing or unreadable. */
export function parseOutbox(raw: string | null): OutboxItem[] {
  try {
    const items: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(items)
      ? items.filter(
          (i): i is OutboxItem =>
            typeof i?.clientId === "string" && typeof i.body === "string" && typeof i.createdAt === "string",
        )
      : [];
  } catch {
    return [];
  }
}

/**
 * The outbox after merging this tab's items with the stored ones, by the rule above: both what the
 * tab writes back and what it holds from now on, in creation order.
 */
export function mergeOutbox(
  stored: readonly OutboxItem[],
  mine: readonly OutboxItem[],
  tab: OutboxTabState,
): OutboxItem[] {
  const myCopy = new Map(mine.map((i) => [i.clientId, i]));
  const out = new Map<string, OutboxItem>();
  for (const s of stored) {
    if (tab.gone.has(s.clientId) || out.has(s.clientId)) continue;
    const m = myCopy.get(s.clientId);
    // Mine wins while I own it, or when I am changing its owner (adopting, retrying, releasing).
    const mineWins = tab.claimed.has(s.clientId) || (m?.owner === tab.tabId && s.owner === tab.tabId);
    out.set(s.clientId, mineWins && m ? m : s);
  }
  for (const m of mine) {
    if (out.has(m.clientId) || tab.gone.has(m.clientId) || tab.seen.has(m.clientId)) continue;
    out.set(m.clientId, m); // never stored yet: new here
  }
  return [...out.values()].sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0,
  );
}

/** Where the shared outbox lives (localStorage in a tab); read and write may throw (storage disabled, full). */
export interface OutboxStore {
  read(): string | null;
  /** `null` removes the entry. */
  write(value: string | null): void;
}

/** One tab's view of the shared outbox; every change is merged with storage and written back at once. */
export class SharedOutbox implements OutboxTabState {
  items: OutboxItem[] = [];
  readonly gone = new Set<string>();
  readonly seen = new Set<string>();
  readonly claimed = new Set<string>();

  constructor(
    private readonly store: OutboxStore,
    readonly tabId: string,
  ) {}

  private read(): OutboxItem[] | null {
    try {
      const stored = parseOutbox(this.store.read());
      for (const i of stored) this.seen.add(i.clientId);
      return stored;
    } catch {
      return null; // storage disabled: only this tab's items
    }
  }

  /** Take the stored state into this tab (another tab wrote it); writes nothing. */
  refresh(): void {
    const stored = this.read();
    if (stored) this.items = mergeOutbox(stored, this.items, this);
  }

  /** Merge with storage and write back. */
  save(): void {
    const stored = this.read();
    if (stored) this.items = mergeOutbox(stored, this.items, this);
    try {
      this.store.write(this.items.length > 0 ? JSON.stringify(this.items) : null);
      for (const i of this.items) this.seen.add(i.clientId);
      this.claimed.clear();
    } catch {
      // storage full or disabled: the in-memory outbox still works
    }
  }

  /** On mount: adopt every stored item except those already shown as sent (`sent`: clientIds). */
  adopt(sent: ReadonlySet<string>): void {
    for (const id of sent) this.gone.add(id);
    const stored = (this.read() ?? []).filter((i) => !sent.has(i.clientId));
    for (const i of stored) this.claimed.add(i.clientId);
    const known = new Set(stored.map((i) => i.clientId));
    this.items = [
      ...stored.map((i) => ({ ...i, owner: this.tabId })),
      ...this.items.filter((i) => !known.has(i.clientId)),
    ];
    this.save();
  }

  add(item: Omit<OutboxItem, "owner" | "status">): void {
    this.items = [...this.items, { ...item, status: "pending", owner: this.tabId }];
    this.save();
  }

  /** This tab is going away (closed, switched rooms): leave its unsent items to the other tabs. */
  release(): void {
    const mine = this.items.filter((i) => i.owner === this.tabId);
    if (mine.length === 0) return;
    for (const i of mine) this.claimed.add(i.clientId);
    this.items = this.items.map((i) => (i.owner === this.tabId ? { ...i, owner: undefined } : i));
    this.save();
  }

  /** Take over the items no open tab owns (their tab closed). True when there were any. */
  adoptOrphans(): boolean {
    const orphans = this.items.filter((i) => i.owner === undefined);
    if (orphans.length === 0) return false;
    for (const i of orphans) this.claimed.add(i.clientId);
    this.items = this.items.map((i) => (i.owner === undefined ? { ...i, owner: this.tabId } : i));
    this.save();
    return true;
  }

  /** Send a failed item again; this tab takes it over. */
  retry(clientId: string): boolean {
    const item = this.items.find((i) => i.clientId === clientId);
    if (!item) return false;
    this.claimed.add(clientId);
    this.replace({ ...item, status: "pending", error: undefined, owner: this.tabId });
    return true;
  }

  /** The server refused an owned item for good. */
  fail(clientId: string, error: string): void {
    const item = this.owned(clientId);
    if (item) this.replace({ ...item, status: "failed", error });
  }

  /** Acked (stored on the server) or discarded: gone from every tab. True when it was held. */
  remove(clientIds: Iterable<string>): boolean {
    const ids = new Set(clientIds);
    for (const id of ids) this.gone.add(id);
    const before = this.items.length;
    this.items = this.items.filter((i) => !ids.has(i.clientId));
    if (this.items.length === before) return false;
    this.save();
    return true;
  }

  /** The item this tab sends next: its first pending one. */
  nextToSend(): OutboxItem | undefined {
    return this.items.find((i) => i.status === "pending" && i.owner === this.tabId);
  }

  /** The item, if this tab still owns it (not discarded, acked or taken over elsewhere). */
  owned(clientId: string): OutboxItem | undefined {
    return this.items.find((i) => i.clientId === clientId && i.owner === this.tabId);
  }

  private replace(item: OutboxItem): void {
    this.items = this.items.map((i) => (i.clientId === item.clientId ? item : i));
    this.save();
  }
}
