// The outbox shared by the tabs of one user and room (lib/messages/outbox.ts): tabs simulated as
// SharedOutbox instances over one fake localStorage entry.
import { describe, expect, it } from "vitest";
import { type OutboxStore, parseOutbox, SharedOutbox } from "@/lib/messages/outbox";

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
    ids: () => parseOutbox(value).map((i) => i.clientId),
    items: () => parseOutbox(value),
    break: () => (broken = true),
  };
}

let clock = 0;
const item = (clientId: string) => ({ clientId, body: clientId, createdAt: new Date(++clock).toISOString() });

/** A tab opening the room: a fresh SharedOutbox that adopts what is stored. */
function openTab(store: OutboxStore, id: string, shown: string[] = []): SharedOutbox {
  const tab = new SharedOutbox(store, id);
  tab.adopt(new Set(shown));
  return tab;
}

describe("outbox shared by the tabs of one user and room", () => {
  it("an item discarded in one tab is not written back by another, and stays gone after reload", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    a.fail("x", "Message too long");
    const b = openTab(s.store, "B"); // B adopts x (and would send it, were it pending)
    expect(b.items.map((i) => i.clientId)).toEqual(["x"]);
    a.remove(["x"]); // the user discards x in tab A
    expect(s.ids()).toEqual([]);
    b.add(item("y")); // B writes the outbox again
    expect(s.ids()).toEqual(["y"]);
    expect(b.items.map((i) => i.clientId)).toEqual(["y"]); // and no longer shows x
    const reloaded = openTab(s.store, "A2");
    expect(reloaded.items.map((i) => i.clientId)).toEqual(["y"]);
  });

  it("a tab learns of another tab's changes from storage (the storage event) without writing", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    const b = openTab(s.store, "B");
    b.remove(["x"]); // acked in B
    a.refresh();
    expect(a.items).toEqual([]);
  });

  it("each pending item is sent by one tab only: the one that owns it", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("a1"));
    expect(a.nextToSend()?.clientId).toBe("a1");
    // B opens while a1 is queued: it adopts a1 (A may be the tab that is going away).
    const b = openTab(s.store, "B");
    expect(b.nextToSend()?.clientId).toBe("a1");
    a.add(item("a2"));
    // A sees it lost a1 to B when it next merges; it still sends what it created since.
    expect(a.nextToSend()?.clientId).toBe("a2");
    expect(a.items.map((i) => i.clientId)).toEqual(["a1", "a2"]); // still shown in A
    b.refresh();
    expect(b.items.map((i) => i.clientId)).toEqual(["a1", "a2"]);
    expect(b.nextToSend()?.clientId).toBe("a1");
    b.remove(["a1"]); // B's send of a1 is acked
    expect(b.nextToSend()).toBeUndefined(); // a2 is A's
    a.refresh();
    expect(a.items.map((i) => i.clientId)).toEqual(["a2"]);
  });

  it("the owner's status wins; a retry in another tab takes the item over", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    a.add(item("x"));
    const b = openTab(s.store, "B"); // owner of x now
    b.fail("x", "Not allowed");
    a.add(item("z")); // A's copy of x (pending) must not overwrite B's failed one
    expect(s.items().find((i) => i.clientId === "x")).toMatchObject({ status: "failed", owner: "B" });
    expect(a.items.find((i) => i.clientId === "x")).toMatchObject({ status: "failed" });
    expect(a.nextToSend()?.clientId).toBe("z");
    a.remove(["z"]);
    expect(a.retry("x")).toBe(true); // the user presses retry in A
    expect(s.items()).toMatchObject([{ clientId: "x", status: "pending", owner: "A" }]);
    expect(a.nextToSend()?.clientId).toBe("x");
    b.add(item("w")); // B merges: x is A's now, B does not send it or write its copy back
    expect(b.nextToSend()?.clientId).toBe("w");
    expect(s.items().find((i) => i.clientId === "x")).toMatchObject({ status: "pending", owner: "A" });
  });

  it("a closing tab leaves its unsent items to an open tab, which sends them", () => {
    const s = storage();
    const b = openTab(s.store, "B");
    const a = openTab(s.store, "A");
    a.add(item("a1"));
    b.refresh();
    expect(b.nextToSend()).toBeUndefined(); // A's, while A is open
    a.release(); // A is closed
    expect(s.items().map((i) => [i.clientId, i.owner])).toEqual([["a1", undefined]]);
    b.refresh(); // the storage event
    expect(b.adoptOrphans()).toBe(true);
    expect(b.nextToSend()?.clientId).toBe("a1");
    expect(s.items()).toMatchObject([{ clientId: "a1", owner: "B" }]);
    expect(b.adoptOrphans()).toBe(false);
  });

  it("two offline tabs keep each other's queued messages, in creation order", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    const b = openTab(s.store, "B");
    a.add(item("a1"));
    b.add(item("b1"));
    a.add(item("a2"));
    expect(s.ids()).toEqual(["a1", "b1", "a2"]);
    expect(a.nextToSend()?.clientId).toBe("a1");
    expect(b.nextToSend()?.clientId).toBe("b1");
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

  it("with storage failing, the tab keeps its own items in memory", () => {
    const s = storage();
    const a = openTab(s.store, "A");
    s.break();
    a.add(item("x"));
    a.add(item("y"));
    expect(a.items.map((i) => i.clientId)).toEqual(["x", "y"]);
    a.refresh();
    expect(a.items.map((i) => i.clientId)).toEqual(["x", "y"]);
    a.remove(["x"]);
    expect(a.nextToSend()?.clientId).toBe("y");
  });

  it("reads a missing or corrupt entry as empty", () => {
    expect(parseOutbox(null)).toEqual([]);
    expect(parseOutbox("{not json")).toEqual([]);
    const x = { ...item("x"), status: "pending" };
    expect(parseOutbox(JSON.stringify([{ clientId: 1 }, x])).map((i) => i.clientId)).toEqual(["x"]);
  });
});
