// Author rows: who continues the group above (lib/messages/grouping.ts), for sent and queued messages.
import { describe, expect, it } from "vitest";
import { continuesGroup, GROUP_MS, type Groupable } from "@/lib/messages/grouping";

const at = (ms: number, authorId = "ana", isReply = false): Groupable => ({
  authorId,
  createdAt: new Date(Date.UTC(2026, 11, 1, 9) + ms).toISOString(),
  isReply,
});

describe("continuesGroup", () => {
  it("groups the same author within five minutes, not a reply, not another author", () => {
    expect(continuesGroup(undefined, at(0))).toBe(false);
    expect(continuesGroup(at(0), at(1_000))).toBe(true);
    expect(continuesGroup(at(0), at(GROUP_MS - 1))).toBe(true);
    expect(continuesGroup(at(0), at(GROUP_MS))).toBe(false);
    expect(continuesGroup(at(0), at(1_000, "bo"))).toBe(false);
    expect(continuesGroup(at(0), at(1_000, "ana", true))).toBe(false);
  });

  it("a burst queued while offline reads as one group, each item after the one before", () => {
    const burst = [at(0), at(300), at(900)];
    const heads = burst.filter((m, i) => !continuesGroup(burst[i - 1], m));
    expect(heads).toHaveLength(1);
  });
});
