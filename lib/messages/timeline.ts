// A room's loaded messages, keyed by seq. Merging is idempotent (nothing shown twice; a higher `rev`
// replaces an edited/deleted/reacted message) and tracks `through`: the highest seq up to which the
// loaded window has no gap, so a catch-up knows where to start and a live message that skips ahead
// is detected; a message below the window that is not held (the ack of a retried send) never
// extends it, or older pages could not fill the hole it would leave. A window opened around an old
// message (`hasNewer`) ignores live messages until it has been paged forward to the present.
import type { ChatMessage, MessagePage } from "./messages.schema";

export interface Timeline {
  readonly bySeq: ReadonlyMap<number, ChatMessage>;
  /** Lowest loaded seq, or null when nothing is loaded. */
  readonly oldest: number | null;
  /** Every seq in [oldest, through] is loaded. 0 when the room is empty. */
  readonly through: number;
  /** Older messages exist before `oldest`. */
  readonly hasOlder: boolean;
  /** Newer messages exist after `through` that are not loaded (a window into the past). */
  readonly hasNewer: boolean;
}

export function timelineFromPage(page: MessagePage): Timeline {
  const t: Timeline = {
    bySeq: new Map(),
    oldest: null,
    through: 0,
    hasOlder: page.hasMore,
    hasNewer: Boolean(page.hasNewer),
  };
  if (page.messages.length === 0) return t;
  const first = page.messages[0] as ChatMessage;
  return mergeMessages({ ...t, oldest: first.seq, through: first.seq - 1 }, page.messages);
}

/**
 * Add or update messages (any order; duplicates ignored unless their rev is higher). Returns the same
 * object when nothing changed. A message below the window that is not held is kept only when it
 * extends the window downward without a hole (an older page); anything else below `oldest` (a
 * retried send's ack, stored long ago) is dropped, so every seq in [oldest, through] stays
 * loaded and older pages can still fill what lies between. Callers do not merge a live message that
 * skips ahead (see receiveMessages): they fetch the gap instead.
 */
export function mergeMessages(t: Timeline, messages: readonly ChatMessage[]): Timeline {
  let bySeq: Map<number, ChatMessage> | undefined;
  const floor = t.oldest ?? t.through + 1;
  const below = new Map<number, ChatMessage>();
  let lowest: number | null = null;
  for (const m of messages) {
    const have = bySeq?.get(m.seq) ?? t.bySeq.get(m.seq);
    if (have && have.rev >= m.rev) continue;
    if (!have && m.seq < floor) {
      const other = below.get(m.seq);
      if (!other || other.rev < m.rev) below.set(m.seq, m);
      continue;
    }
    bySeq ??= new Map(t.bySeq);
    bySeq.set(m.seq, m);
    if (lowest === null || m.seq < lowest) lowest = m.seq;
  }
  let oldest = t.oldest ?? lowest;
  // Only a run that continues down from the window's bottom extends it.
  for (let m = below.get((oldest ?? floor) - 1); m; m = below.get(m.seq - 1)) {
    bySeq ??= new Map(t.bySeq);
    bySeq.set(m.seq, m);
    oldest = m.seq;
  }
  if (!bySeq) return t;
  let through = t.through;
  while (bySeq.has(through + 1)) through++;
  return { ...t, bySeq, oldest, through, hasOlder: t.hasOlder && (oldest ?? 1) > 1 };
}

/**
 * Live messages (a `message:new`, each message of a `message:batch`, in order) and send acks, by
 * protocol rule 4, for each message: one we hold is refreshed if its rev is higher; any other with
 * `seq <= through` is old (a retried send's ack from before the window) and ignored; `through
 * + 1` is appended; one that skips ahead means a gap to fetch (`gap: true`). It is not stored unless
 * `keepAhead` (a send ack: the sender sees its message at once, the catch-up fills in below it).
 * The accepted messages are merged in one mergeMessages call (a batch costs one copy of the window).
 */
export function receiveMessages(
  t: Timeline,
  messages: readonly ChatMessage[],
  opts: { keepAhead?: boolean } = {},
): { timeline: Timeline; gap: boolean } {
  // Decide per message against the window as it grows (`through` moves with each append), then
  // merge what was accepted once: one copy of the window per batch, not one per message.
  const accepted: ChatMessage[] = [];
  const added = new Set<number>();
  const held = (seq: number) => t.bySeq.has(seq) || added.has(seq);
  let through = t.through;
  let gap = false;
  for (const m of messages) {
    if (held(m.seq) || m.seq === through + 1) accepted.push(m);
    else if (m.seq <= through) continue;
    else {
      gap = true;
      if (!opts.keepAhead) continue;
      accepted.push(m);
    }
    added.add(m.seq);
    while (held(through + 1)) through++;
  }
  return { timeline: accepted.length > 0 ? mergeMessages(t, accepted) : t, gap };
}

/** Apply an update (edit, delete, reactions) to a message we hold; others are ignored. */
export function applyUpdate(t: Timeline, m: ChatMessage): Timeline {
  return t.bySeq.has(m.seq) ? mergeMessages(t, [m]) : t;
}

/**
 * The rev up to which every change to the window is applied, after a live update (edit, delete,
 * reactions) to `m`. Only `message:changes` moves it past a rev it has not seen: live updates also
 * arrive before the catch-up after a reconnect, and one for a message we do not hold may race a page
 * read before it. So a live update advances it only when it is the very next room change and it
 * touched a message we hold (it is applied, and nothing between was missed).
 */
export function syncedRevAfterUpdate(syncedRev: number, t: Timeline, m: ChatMessage): number {
  return m.rev === syncedRev + 1 && t.bySeq.has(m.seq) ? m.rev : syncedRev;
}

/** Record the result of loading an older page. */
export function mergeOlder(t: Timeline, page: MessagePage): Timeline {
  const merged = mergeMessages(t, page.messages);
  const oldest = merged.oldest ?? 1;
  // A page that did not join the window (it was replaced meanwhile) says nothing about what is older.
  const joined = page.messages.length === 0 || merged.oldest !== t.oldest;
  return { ...merged, hasOlder: joined ? page.hasMore && oldest > 1 : t.hasOlder };
}

/** Record a page loaded forward (after=through) in a window into the past. */
export function mergeNewer(t: Timeline, page: MessagePage): Timeline {
  return { ...mergeMessages(t, page.messages), hasNewer: page.hasMore };
}

/** Loaded messages in seq order. */
export function orderedMessages(t: Timeline): ChatMessage[] {
  return [...t.bySeq.values()].sort((a, b) => a.seq - b.seq);
}

export function newestSeq(t: Timeline): number {
  let max = 0;
  for (const seq of t.bySeq.keys()) if (seq > max) max = seq;
  return max;
}
