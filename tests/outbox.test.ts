// The outbox shared by the tabs of one user and room (lib/messages/outbox.ts): tabs simulated as
// SharedOutbox instances over one fake localStorage entry, on a fake clock.
import { describe, expect, it } from "vitest";
import {
  FOREIGN_SEND_AFTER_MS,
  mergeOutbox,
  type OutboxStore,
  parseOutbox,
  SharedOutbox,
} from "@/lib/messages/outbox";

let now = 1_000_000;
const clock = () => now;

function storage() {
  let value: string | null = null;
  let broken = false;
  const store: OutboxStore = {
    read: () => {
      if (broken) throw new Error("SecurityError");
      return value;
    },
    write: (v) => {
      if (broken) throw new Error("QuotaExceededError");
      value = v;
    },
  };
  return {
    store,
    ids: () => parseOutbox(value).items.map((i) => i.clientId),
    raw: () => value,
    set: (v: string | null) => (value = v),
    break: () => (broken = true),
  };
}

let n = 0;
const item = (clientId: string) => ({ clientId, body: clientId, createdAt: new Date(++n).toISOString() });

/** A tab opening the room: a fresh SharedOutbox that loads what is stored. */
function openTab(store: OutboxStore, id: string, shown: string[] = []): SharedOutbox {
  const tab = new SharedOutbox(store, id, clock);
  tab.load(shown);
  return tab;
}

const next = (tab: SharedOutbox) => tab.nextToSend().item?.clientId;

describe("outbox shared by the tabs of one user and room", () => {
  it("an item discarded in one tab is not written back by another, and stays gone after reload", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    a.add(item("y"));
    const b = openTab(s.store, "B");
    a.remove(["x"], "discarded");
    // B never saw the discard event and writes its stale copy back: x must not come back.
    b.add(item("z"));
    expect(s.ids()).toEqual(["y", "z"]);
    expect(b.items.map((i) => i.clientId)).toEqual(["y", "z"]);
    // Days later a tab that still held x (never refreshed) writes: still gone.
    now += 3 * 24 * 3600_000;
    b.retry("y");
    expect(openTab(s.store, "C").items.map((i) => i.clientId)).toEqual(["y", "z"]);
  });

  it("a lost write between tabs never drops a queued message (absence is not removal)", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("a1"));
    const stale = s.raw(); // what a lagging tab B still sees: [a1]
    a.add(item("a2")); // stored: [a1, a2]
    // B acks a1 on its stale copy and writes it without a2.
    s.set(stale);
    const b = new SharedOutbox(s.store, "B", clock);
    b.refresh();
    b.remove(["a1"]);
    expect(s.ids()).toEqual([]);
    // A's next look at storage (the storage event) keeps a2 and writes it back: only a tombstone
    // removes an item.
    a.refresh();
    expect(a.items.map((i) => i.clientId)).toEqual(["a2"]);
    expect(s.ids()).toEqual(["a2"]);
  });

  it("a tab sends its own items at once and another tab's only when its tab is gone or late, in order", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    const b = openTab(s.store, "B");
    a.add(item("a1"));
    b.refresh();
    expect(next(a)).toBe("a1");
    // B leaves a1 to A (no doubled sends while A is there) and does not skip ahead of it.
    b.add(item("b1"));
    expect(b.nextToSend()).toEqual({ waitMs: FOREIGN_SEND_AFTER_MS });
    // A dies without a word (crash, killed in the background): after the wait, B sends a1, then b1.
    now += FOREIGN_SEND_AFTER_MS;
    expect(next(b)).toBe("a1");
    b.remove(["a1"]);
    expect(next(b)).toBe("b1");
  });

  it("a closing or reloading tab releases its unsent items: they go out at once", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    a.release();
    const reloaded = openTab(s.store, "A2");
    expect(next(reloaded)).toBe("x");
  });

  it("status changes merge by version: a retry in one tab beats the failure another tab saw", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    const b = openTab(s.store, "B");
    a.fail("x", "Message is too long");
    b.refresh();
    expect(b.get("x")).toMatchObject({ status: "failed", error: "Message is too long" });
    expect(b.nextToSend()).toEqual({});
    expect(b.retry("x")).toBe(true);
    a.refresh();
    expect(a.get("x")).toMatchObject({ status: "pending", tab: "B" });
    expect(next(b)).toBe("x");
  });

  it("two offline tabs keep each other's queued messages, in creation order", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    const b = openTab(s.store, "B");
    a.add(item("a1"));
    b.add(item("b1"));
    a.add(item("a2"));
    expect(s.ids()).toEqual(["a1", "b1", "a2"]);
    expect(openTab(s.store, "C").items.map((i) => i.clientId)).toEqual(["a1", "b1", "a2"]);
  });

  it("a reload restores the queue minus what the page already shows as sent", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    a.add(item("y"));
    const reloaded = openTab(s.store, "A2", ["x"]);
    expect(reloaded.items.map((i) => i.clientId)).toEqual(["y"]);
    expect(s.ids()).toEqual(["y"]);
  });

  it("acked tombstones expire soon, discarded ones are kept, and there is a cap", () => {
    const merged = mergeOutbox(
      { items: [], done: { acked: now + 60_000, discarded: now + 7 * 24 * 3600_000 } },
      { items: [], done: {} },
      now + 10 * 60_000,
    );
    expect(Object.keys(merged.done)).toEqual(["discarded"]);
    const many = Object.fromEntries(Array.from({ length: 900 }, (_, i) => [`id${i}`, now + 1000 + i]));
    expect(
      Object.keys(mergeOutbox({ items: [], done: many }, { items: [], done: {} }, now).done),
    ).toHaveLength(500);
  });

  it("with storage failing, the tab keeps its own items in memory", () => {
    const s = storage();
    s.break();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    expect(next(a)).toBe("x");
    expect(a.remove(["x"])).toBe(true);
    expect(a.items).toEqual([]);
  });

  it("reads a missing, corrupt or older (array) entry", () => {
    expect(parseOutbox(null)).toEqual({ items: [], done: {} });
    expect(parseOutbox("{not json")).toEqual({ items: [], done: {} });
    const old = JSON.stringify([
      { clientId: "x", body: "hi", createdAt: "2026-11-26T00:00:00.000Z", status: "pending" },
      { nope: 1 },
    ]);
    expect(parseOutbox(old).items.map((i) => i.clientId)).toEqual(["x"]);
  });

  it("a message's stored files ride in its queued item: the same files after a failure, a retry and a reload in another tab", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    const files = [
      { id: "f1", name: "a.png", size: 10, type: "image/png", kind: "image" as const, width: 4, height: 3 },
      {
        id: "f2",
        name: "b.pdf",
        size: 20,
        type: "application/pdf",
        kind: "file" as const,
        width: null,
        height: null,
      },
    ];
    a.add({ ...item("with-files"), body: "", files });
    a.fail("with-files", "offline");
    a.retry("with-files");
    const b = openTab(s.store, "B");
    expect(b.get("with-files")?.files?.map((f) => f.id)).toEqual(["f1", "f2"]);
    expect(b.get("with-files")?.body).toBe("");
    expect(b.get("with-files")?.status).toBe("pending");
  });
});
