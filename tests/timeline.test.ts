import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import {
  applyUpdate,
  mergeMessages,
  mergeNewer,
  mergeOlder,
  orderedMessages,
  receiveMessages,
  syncedRevAfterUpdate,
  type Timeline,
  timelineFromPage,
} from "@/lib/messages/timeline";
import { type AttemptResult, isPermanentError, retryDelayMs, retryLoop } from "@/lib/realtime/client/backoff";

const msg = (seq: number, rev = 0): ChatMessage => ({
  id: `id-${seq}`,
  roomId: "r",
  seq,
  clientId: `c-${seq}`,
  body: `m${seq}`,
  createdAt: new Date(0).toISOString(),
  editedAt: null,
  deleted: false,
  rev,
  author: { id: "a", username: "a", displayName: "A" },
  replyTo: null,
  reactions: [],
  mentions: [],
  files: [],
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));

describe("timeline", () => {
  it("starts from the server-rendered page", () => {
    const t = timelineFromPage({ messages: range(51, 100), hasMore: true });
    expect(t).toMatchObject({ oldest: 51, through: 100, hasOlder: true });
    expect(timelineFromPage({ messages: [], hasMore: false })).toMatchObject({
      oldest: null,
      through: 0,
      hasOlder: false,
    });
  });

  it("ignores duplicates and keeps seq order whatever the arrival order", () => {
    let t = timelineFromPage({ messages: range(1, 3), hasMore: false });
    const same = mergeMessages(t, [msg(2), msg(3)]);
    expect(same).toBe(t);
    t = mergeMessages(t, [msg(5), msg(4), msg(4)]);
    expect(orderedMessages(t).map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(t.through).toBe(5);
  });

  it("detects a live message that skips ahead", () => {
    const t = timelineFromPage({ messages: range(1, 10), hasMore: false });
    expect(receiveMessages(t, [msg(11)]).gap).toBe(false);
    expect(receiveMessages(t, [msg(10)]).gap).toBe(false);
    expect(receiveMessages(t, [msg(13)]).gap).toBe(true);
    const empty = timelineFromPage({ messages: [], hasMore: false });
    expect(receiveMessages(empty, [msg(1)]).gap).toBe(false);
    expect(receiveMessages(empty, [msg(3)]).gap).toBe(true);
  });

  it("replaces a message only with a higher rev (edits, deletes, reactions)", () => {
    let t = timelineFromPage({ messages: range(1, 3), hasMore: false });
    t = mergeMessages(t, [{ ...msg(2, 5), body: "edited" }]);
    expect(t.bySeq.get(2)?.body).toBe("edited");
    const stale = mergeMessages(t, [{ ...msg(2, 4), body: "older edit" }]);
    expect(stale).toBe(t);
    expect(applyUpdate(t, msg(9, 7))).toBe(t); // not loaded: ignored
  });

  it("a window into the past pages forward to the present", () => {
    let t = timelineFromPage({ messages: range(100, 150), hasMore: true, hasNewer: true });
    expect(t).toMatchObject({ oldest: 100, through: 150, hasNewer: true });
    t = mergeNewer(t, { messages: range(151, 250), hasMore: true });
    expect(t.hasNewer).toBe(true);
    t = mergeNewer(t, { messages: range(251, 260), hasMore: false });
    expect(t).toMatchObject({ through: 260, hasNewer: false });
  });

  it("merges older pages below the window and stops at the beginning", () => {
    let t = timelineFromPage({ messages: range(51, 100), hasMore: true });
    t = mergeOlder(t, { messages: range(1, 50), hasMore: false });
    expect(t).toMatchObject({ oldest: 1, through: 100, hasOlder: false });
    expect(orderedMessages(t)).toHaveLength(100);
  });

  it("a re-broadcast old message below the window does not punch a hole in history", () => {
    let t = timelineFromPage({ messages: range(201, 250), hasMore: true });
    // A retried send stored long ago comes back live (created: false) or as this tab's own ack.
    for (const keepAhead of [false, true]) {
      const r = receiveMessages(t, [msg(120)], { keepAhead });
      expect(r.gap).toBe(false);
      expect(r.timeline).toBe(t);
    }
    // Merged directly, it still must not lower `oldest` past unloaded seqs.
    expect(mergeMessages(t, [msg(120)])).toBe(t);
    t = mergeOlder(t, { messages: range(151, 200), hasMore: true });
    expect(t).toMatchObject({ oldest: 151, through: 250, hasOlder: true });
    t = mergeOlder(t, { messages: range(101, 150), hasMore: true });
    expect(orderedMessages(t).map((m) => m.seq)).toEqual(range(101, 250).map((m) => m.seq));
  });

  it("refreshes a held message that comes back with a higher rev", () => {
    const t = timelineFromPage({ messages: range(1, 5), hasMore: false });
    const r = receiveMessages(t, [{ ...msg(3, 9), body: "edited" }]);
    expect(r.gap).toBe(false);
    expect(r.timeline.bySeq.get(3)?.body).toBe("edited");
  });

  it("checks every message of a batch for a gap, in order", () => {
    const t = timelineFromPage({ messages: range(1, 10), hasMore: false });
    // First one old, the next one skips ahead: the gap must still be seen.
    let r = receiveMessages(t, [msg(4), msg(14)]);
    expect(r).toMatchObject({ gap: true, timeline: { through: 10 } });
    expect(r.timeline.bySeq.has(14)).toBe(false);
    r = receiveMessages(t, [msg(11), msg(12), msg(15)]);
    expect(r.gap).toBe(true);
    expect(r.timeline.through).toBe(12);
    expect(r.timeline.bySeq.has(15)).toBe(false);
    r = receiveMessages(t, [msg(11), msg(12)]);
    expect(r).toMatchObject({ gap: false, timeline: { oldest: 1, through: 12 } });
  });

  it("merges a batch once, with the same result as merging its messages one by one", () => {
    // The rule applied per message, one merge each (the implementation before batching).
    const oneByOne = (t: Timeline, ms: ChatMessage[], keepAhead: boolean) => {
      let next = t;
      let gap = false;
      for (const m of ms) {
        if (next.bySeq.has(m.seq)) next = mergeMessages(next, [m]);
        else if (m.seq <= next.through) continue;
        else if (m.seq === next.through + 1) next = mergeMessages(next, [m]);
        else {
          gap = true;
          if (keepAhead) next = mergeMessages(next, [m]);
        }
      }
      return { timeline: next, gap };
    };
    let seed = 7;
    const rand = (n: number) => {
      // mulberry32: a small seeded generator whose low bits are usable
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    for (let i = 0; i < 3000; i++) {
      const from = 1 + rand(20);
      const t =
        rand(4) === 0
          ? timelineFromPage({ messages: [], hasMore: false })
          : timelineFromPage({ messages: range(from, from + rand(10)), hasMore: from > 1 });
      const batch = Array.from({ length: 1 + rand(8) }, () => msg(1 + rand(40), rand(3)));
      // A send ack (keepAhead) is always received alone.
      const keepAhead = rand(3) === 0;
      const ms = keepAhead ? batch.slice(0, 1) : batch;
      const want = oneByOne(t, ms, keepAhead);
      const got = receiveMessages(t, ms, { keepAhead });
      expect(got.gap).toBe(want.gap);
      expect(got.timeline === t).toBe(want.timeline === t);
      expect({ ...got.timeline, bySeq: orderedMessages(got.timeline) }).toEqual({
        ...want.timeline,
        bySeq: orderedMessages(want.timeline),
      });
    }
  });

  it("a batch with keepAhead into an empty window keeps a lower message that follows a higher one", () => {
    // The one input where merging once differs from one by one (which dropped seq 1 below the
    // first-merged seq 3). Unreachable in the app: a send ack (keepAhead) is always received alone.
    const t = timelineFromPage({ messages: [], hasMore: false });
    const r = receiveMessages(t, [msg(3), msg(1)], { keepAhead: true });
    expect(r.gap).toBe(true);
    expect(r.timeline).toMatchObject({ oldest: 1, through: 1 });
    expect(orderedMessages(r.timeline).map((m) => m.seq)).toEqual([1, 3]);
  });

  it("a send ack that skips ahead is shown and reports the gap below it", () => {
    const t = timelineFromPage({ messages: range(1, 10), hasMore: false });
    const r = receiveMessages(t, [msg(13)], { keepAhead: true });
    expect(r.gap).toBe(true);
    expect(r.timeline).toMatchObject({ oldest: 1, through: 10 });
    expect(r.timeline.bySeq.has(13)).toBe(true);
    const filled = mergeMessages(r.timeline, range(11, 13));
    expect(filled.through).toBe(13);
  });

  it("an empty room takes live messages from seq 1 and fetches a gap from 0", () => {
    const t = timelineFromPage({ messages: [], hasMore: false });
    expect(receiveMessages(t, [msg(1)]).timeline).toMatchObject({ oldest: 1, through: 1 });
    expect(receiveMessages(t, [msg(3)]).gap).toBe(true);
  });

  it("an older page that no longer joins the window (replaced meanwhile) is dropped", () => {
    const t = timelineFromPage({ messages: range(300, 349), hasMore: true });
    const after = mergeOlder(t, { messages: range(1, 50), hasMore: false });
    expect(after).toMatchObject({ oldest: 300, through: 349, hasOlder: true });
  });

  it("a live update never skips the catch-up of changes made while away", () => {
    const t = timelineFromPage({ messages: range(1, 50), hasMore: false });
    // Synced at rev 10; offline, message 40 is deleted (rev 11); on reconnect a reaction (rev 12)
    // arrives before message:changes runs: syncedRev must stay 10 so the delete is fetched.
    expect(syncedRevAfterUpdate(10, t, msg(5, 12))).toBe(10);
    // An update for a message we do not hold says nothing about what we hold.
    expect(syncedRevAfterUpdate(10, t, msg(70, 11))).toBe(10);
    // The very next change, to a message we hold: applied, nothing missed in between.
    expect(syncedRevAfterUpdate(10, t, msg(5, 11))).toBe(11);
    expect(syncedRevAfterUpdate(10, t, msg(5, 9))).toBe(10);
  });
});

/** A retry loop whose first attempt waits for `release`; later attempts resolve "done". */
function firstAttemptHeld(delay: number) {
  vi.useFakeTimers();
  let held: (r: AttemptResult) => void = () => {};
  const attempt = vi
    .fn<() => Promise<AttemptResult>>()
    .mockImplementationOnce(() => new Promise((r) => (held = r)))
    .mockResolvedValue("done");
  const loop = retryLoop({ attempt, canRetry: () => true, delayMs: () => delay });
  return { attempt, loop, release: (r: AttemptResult) => held(r) };
}

describe("room sync retries (join → catch-up → changes)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const setup = (results: AttemptResult[]) => {
    vi.useFakeTimers();
    let connected = true;
    const attempt = vi.fn(async () => results.shift() ?? "done");
    const loop = retryLoop({ attempt, canRetry: () => connected, delayMs: (n) => 1000 * 2 ** n });
    return { loop, attempt, disconnect: () => (connected = false) };
  };

  it("uses jittered, doubling, capped delays", () => {
    expect(retryDelayMs(0, () => 1)).toBe(1000);
    expect(retryDelayMs(3, () => 1)).toBe(8000);
    expect(retryDelayMs(3, () => 0)).toBe(4000);
    expect(retryDelayMs(40, () => 1)).toBe(30_000);
    expect(retryDelayMs(100_000, () => 0)).toBe(15_000);
    // Other bases and caps (socket reconnects start at 500 ms).
    expect(retryDelayMs(0, () => 0, 500)).toBe(250);
    expect(retryDelayMs(2, () => 1, 500, 1500)).toBe(1500);
  });

  it("retries a failed join (timeout, internal) with backoff until it succeeds", async () => {
    const { loop, attempt } = setup(["retry", "retry", "done"]);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(attempt).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it("stops on not_found, on unmount and while disconnected", async () => {
    let s = setup(["stop"]);
    s.loop.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.attempt).toHaveBeenCalledTimes(1);

    s = setup(["retry", "retry"]);
    s.loop.start();
    await vi.advanceTimersByTimeAsync(0);
    s.loop.dispose();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.attempt).toHaveBeenCalledTimes(1);
    s.loop.start();
    expect(s.attempt).toHaveBeenCalledTimes(1);

    s = setup(["retry"]);
    s.disconnect();
    s.loop.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.attempt).toHaveBeenCalledTimes(1);
  });

  it("a room:join refused with a code retrying cannot fix is not retried", () => {
    for (const code of ["validation", "unauthorized", "forbidden", "not_found"])
      expect(isPermanentError(code)).toBe(true);
    for (const code of ["unavailable", "internal", "rate_limited", "conflict", "timeout"])
      expect(isPermanentError(code)).toBe(false);
  });

  it("a catch-up that fails outside the loop (a live gap) is retried too", async () => {
    const { loop, attempt } = setup([]);
    loop.retrySoon();
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it("a catch-up that fails while an attempt runs is retried after that attempt, even when it succeeds", async () => {
    const { attempt, loop, release } = firstAttemptHeld(1000);
    loop.start();
    // The attempt is in its changes step; a live message skips ahead and its catch-up fails.
    loop.retrySoon();
    release("done");
    await vi.advanceTimersByTimeAsync(999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2); // the gap is fetched by this attempt's catch-up
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it("a retry request during an attempt that is then restarted (reconnect) adds no extra attempt", async () => {
    const { attempt, loop, release } = firstAttemptHeld(1000);
    loop.start();
    loop.retrySoon();
    loop.start(); // the restarted attempt runs the whole sync again: it covers the request
    release("done");
    await vi.advanceTimersByTimeAsync(120_000);
    expect(attempt).toHaveBeenCalledTimes(2);
  });

  it("a reconnect during a failing attempt starts over at once", async () => {
    const { attempt, loop, release } = firstAttemptHeld(10_000);
    loop.start();
    loop.start();
    release("retry");
    await vi.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(2);
  });
});
