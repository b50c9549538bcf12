import { describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import {
  applyUpdate,
  hasGapBefore,
  mergeMessages,
  mergeNewer,
  mergeOlder,
  orderedMessages,
  timelineFromPage,
} from "@/lib/messages/timeline";

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
    expect(hasGapBefore(t, 11)).toBe(false);
    expect(hasGapBefore(t, 10)).toBe(false);
    expect(hasGapBefore(t, 13)).toBe(true);
    const empty = timelineFromPage({ messages: [], hasMore: false });
    expect(hasGapBefore(empty, 1)).toBe(false);
    expect(hasGapBefore(empty, 3)).toBe(true);
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
});
