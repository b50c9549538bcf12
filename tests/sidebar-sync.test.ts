// The sidebar's counts (lib/realtime/client/sidebar-sync.ts) against a real realtime server and a
// real PostgreSQL: live events arrive while a /api/sidebar answer is on its way (the answer is the
// real sidebar() read, held back by the test), and an older answer never undoes them.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SidebarSync } from "@/lib/realtime/client/sidebar-sync";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";
import { joinRoom, sidebar } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "@/tests/helpers/fixtures";
import { call, connectAs, connected, startRealtime, type TestClient } from "@/tests/helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
const cleanup: (() => void)[] = [];
beforeAll(async () => {
  server = await startRealtime();
});
afterEach(() => {
  for (const c of cleanup.splice(0)) c();
});
afterAll(async () => {
  await server.close();
});

async function socketOf(user: SessionUser): Promise<TestClient> {
  const s = await connectAs(server.url, user);
  cleanup.push(() => s.disconnect());
  await connected(s);
  return s;
}

/**
 * /api/sidebar as the browser sees it: the server reads the list now (the real sidebar() query),
 * and the answer arrives when the test lets it. `read` resolves once the list has been read.
 */
function heldSidebar(user: SessionUser) {
  const calls: { read: Promise<void>; release: () => void; done: Promise<void> }[] = [];
  let onCall: () => void = () => {};
  const fetchRooms = (): Promise<SidebarRoom[]> => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let markRead!: () => void;
    const read = new Promise<void>((r) => (markRead = r));
    let markDone!: () => void;
    const done = new Promise<void>((r) => (markDone = r));
    calls.push({ read, release, done });
    onCall();
    return (async () => {
      const rooms = await sidebar(user);
      markRead();
      await held;
      setTimeout(markDone, 0); // after the caller has merged the answer
      return rooms;
    })();
  };
  /** The n-th request (from 0), once it is made. */
  const call_ = async (n: number) => {
    while (!calls[n]) await new Promise<void>((r) => (onCall = r));
    return calls[n];
  };
  return { fetchRooms, call: call_, calls };
}

const send = (s: TestClient, roomId: string, body: string) =>
  call(s, "message:send", { roomId, clientId: randomUUID(), body });

describe("SidebarSync: live events during a /api/sidebar request", () => {
  it("a fresh tab keeps the messages that arrive while its first sidebar answer is on the way", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    const boSocket = await socketOf(bo);
    await send(boSocket, room.id, "before the tab opened");

    // The page was rendered with 1 unread; the socket connects after it, which asks for the list.
    const initial = await sidebar(ana);
    const api = heldSidebar(ana);
    const anaSocket = await connectAs(server.url, ana);
    cleanup.push(() => anaSocket.disconnect());
    const sync = new SidebarSync({ socket: anaSocket, userId: ana.id, initial, fetchRooms: api.fetchRooms });
    sync.start();
    cleanup.push(() => sync.dispose());
    const first = await api.call(0); // on connect
    await first.read;

    // Two messages (one mentions ana) arrive live while that answer (1 unread) is still out.
    await send(boSocket, room.id, "second");
    await send(boSocket, room.id, `third, @${ana.username}`);
    const mine = () => sync.snapshot().find((r) => r.id === room.id);
    await expect.poll(() => mine()?.unread).toBe(3);

    first.release();
    await first.done;
    const truth = (await sidebar(ana)).find((r) => r.id === room.id);
    expect(truth).toMatchObject({ lastSeq: 3, unread: 3, mentions: 1 });
    expect(mine()).toMatchObject({ lastSeq: 3, lastReadSeq: 0, unread: 3, mentions: 1 });
  });

  it("a read in another tab during the request is not undone by the older answer", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    const boSocket = await socketOf(bo);
    for (const b of ["one", "two", `three @${ana.username}`]) await send(boSocket, room.id, b);

    const initial = await sidebar(ana);
    expect(initial.find((r) => r.id === room.id)).toMatchObject({ unread: 3, mentions: 1 });
    const api = heldSidebar(ana);
    const anaSocket = await socketOf(ana);
    const sync = new SidebarSync({ socket: anaSocket, userId: ana.id, initial, fetchRooms: api.fetchRooms });
    sync.start();
    cleanup.push(() => sync.dispose());
    // A reconnect asks for the list; it is read (3 unread) and held.
    anaSocket.disconnect();
    anaSocket.connect();
    const stale = await api.call(0);
    await stale.read;

    // Ana reads the room in another tab: room:read reaches this tab, which asks again.
    const otherTab = await socketOf(ana);
    expect((await call(otherTab, "room:read", { roomId: room.id, seq: 3 })).ok).toBe(true);
    const mine = () => sync.snapshot().find((r) => r.id === room.id);
    await expect.poll(() => mine()?.unread).toBe(0);
    const fresh = await api.call(1);

    stale.release(); // the older answer lands first
    await stale.done;
    expect(mine()).toMatchObject({ lastSeq: 3, lastReadSeq: 3, unread: 0, mentions: 0 });
    fresh.release();
    await fresh.done;
    expect(mine()).toMatchObject({ lastSeq: 3, lastReadSeq: 3, unread: 0, mentions: 0 });
  });
});

describe("SidebarSync: the draft marker", () => {
  it("follows draft:updated from my other device live, and an answer read before a save does not undo it", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const phone = await socketOf(ana);
    const initial = await sidebar(ana);
    expect(initial.find((r) => r.id === room.id)?.draft).toBe(false);
    const api = heldSidebar(ana);
    const anaSocket = await connectAs(server.url, ana);
    cleanup.push(() => anaSocket.disconnect());
    const sync = new SidebarSync({ socket: anaSocket, userId: ana.id, initial, fetchRooms: api.fetchRooms });
    sync.start();
    cleanup.push(() => sync.dispose());
    const mine = () => sync.snapshot().find((r) => r.id === room.id);
    // The connect's answer is read (no draft) and held; meanwhile the phone saves a draft.
    const first = await api.call(0);
    await first.read;
    expect(await call(phone, "draft:save", { roomId: room.id, body: "from my phone" })).toMatchObject({
      ok: true,
    });
    await expect.poll(() => mine()?.draft).toBe(true);
    first.release();
    await first.done;
    expect(mine()?.draft).toBe(true);
    // Cleared on the phone (sent): the marker goes.
    await call(phone, "draft:save", { roomId: room.id, body: "" });
    await expect.poll(() => mine()?.draft).toBe(false);
  });
});
