// RoomSync (lib/realtime/client/room-sync.ts), the room sync engine of the browser and of the e2e
// protocol client, driven directly against a real realtime server on a real port and a real
// PostgreSQL, without a browser. Faults are injected on the server side of the socket (a refusal, a
// lost ack) in front of the real handlers.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { ErrorBody } from "@/lib/errors";
import type { ChatMessage, SendMessageInput } from "@/lib/messages/messages.schema";
import { editMessage, listMessages, sendMessage } from "@/lib/messages/messages.service";
import { orderedMessages } from "@/lib/messages/timeline";
import { memoryOutbox } from "@/lib/realtime/client/outbox-store";
import { RoomSync } from "@/lib/realtime/client/room-sync";
import { roomChannel, userChannel } from "@/lib/realtime/events";
import { joinRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "@/tests/helpers/fixtures";
import { connectAs, connected, startRealtime, type TestClient } from "@/tests/helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
/** Every message:send the server received (clientIds, in order of arrival), per room. */
const sendLog = new Map<string, string[]>();
/** A fault for one send attempt: answer it here instead of the handler ("drop-ack": store, lose the ack). */
type Fault = (p: SendMessageInput, attempt: number) => ErrorBody | "drop-ack" | undefined;
let fault: Fault | undefined;
/** Older-page requests (message:list with `before`) the server received: their cursors, and how many overlapped. */
const olderPages = { requested: [] as number[], inFlight: 0, maxInFlight: 0 };
const open: { sync: RoomSync; socket: TestClient }[] = [];

beforeAll(async () => {
  server = await startRealtime();
  // Faults go in front of the real dispatcher (registered with onAny when the socket connects).
  server.io.on("connection", (socket) => {
    const dispatch = socket.listenersAny();
    socket.offAny();
    socket.onAny((event: string, ...args: unknown[]) => {
      const before = (args[0] as { before?: number } | undefined)?.before;
      if (event === "message:list" && before !== undefined) {
        olderPages.requested.push(before);
        olderPages.maxInFlight = Math.max(olderPages.maxInFlight, ++olderPages.inFlight);
        const ack = args[1] as (a: unknown) => void;
        args[1] = (a: unknown) => {
          olderPages.inFlight--;
          ack(a);
        };
      }
      if (event === "message:send") {
        const payload = args[0] as SendMessageInput;
        const log = sendLog.get(payload.roomId) ?? [];
        sendLog.set(payload.roomId, log);
        log.push(payload.clientId);
        const f = fault?.(payload, log.filter((id) => id === payload.clientId).length);
        if (f === "drop-ack") args[1] = () => {};
        else if (f) return (args[1] as (a: unknown) => void)({ ok: false, error: f });
      }
      for (const l of dispatch) l(event, ...args);
    });
  });
});
afterEach(() => {
  fault = undefined;
  for (const { sync, socket } of open.splice(0)) {
    sync.dispose();
    socket.disconnect();
  }
});
afterAll(async () => {
  await server.close();
});

async function setup() {
  const ana = await makeUser("ana");
  const bo = await makeUser("bo");
  const room = await makeRoom(ana);
  await joinRoom(bo, room.id);
  /** A message from bo stored without any broadcast (as if ana missed it). */
  const silent = async (body: string) =>
    (await sendMessage(bo, { roomId: room.id, clientId: randomUUID(), body })).message;
  return { ana, bo, room, silent };
}

async function follow(user: SessionUser, roomId: string, opts: { sendTimeoutMs?: number } = {}) {
  const socket = await connectAs(server.url, user);
  await connected(socket);
  const sync = new RoomSync({ socket, roomId, userId: user.id, outboxStore: memoryOutbox(), ...opts });
  open.push({ sync, socket });
  sync.start();
  await expect.poll(() => sync.snapshot().synced).toBe(true); // joined and caught up
  const seqs = () => orderedMessages(sync.snapshot().timeline).map((m) => m.seq);
  const bodies = () => orderedMessages(sync.snapshot().timeline).map((m) => m.body);
  return { sync, socket, seqs, bodies };
}

/** Ana's stored messages in the room, in seq order. */
const storedOf = (user: SessionUser, roomId: string) =>
  db().message.findMany({
    where: { roomId, authorId: user.id },
    orderBy: { seq: "asc" },
    select: { seq: true, clientId: true, body: true },
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("RoomSync against a real server", () => {
  it("older pages: one request in flight at a time, each from the oldest seq the last one brought", async () => {
    const { ana, room, silent } = await setup();
    for (let i = 1; i <= 160; i++) await silent(`m${i}`);
    const initialPage = await listMessages(ana, { roomId: room.id, limit: 50 });
    const socket = await connectAs(server.url, ana);
    await connected(socket);
    const sync = new RoomSync({
      socket,
      roomId: room.id,
      userId: ana.id,
      outboxStore: memoryOutbox(),
      initialPage,
    });
    open.push({ sync, socket });
    sync.start();
    await expect.poll(() => sync.snapshot().synced).toBe(true);
    const seqs = () => orderedMessages(sync.snapshot().timeline).map((m) => m.seq);
    expect(seqs()[0]).toBe(111);
    Object.assign(olderPages, { requested: [], inFlight: 0, maxInFlight: 0 });
    // A reader wheeling past the top asks many times while the page is out: one request answers all.
    const asks = Array.from({ length: 5 }, () => sync.loadOlder());
    expect(new Set(asks).size).toBe(1);
    await Promise.all(asks);
    expect(seqs()[0]).toBe(61);
    while (sync.snapshot().timeline.hasOlder) await Promise.all([sync.loadOlder(), sync.loadOlder()]);
    expect(seqs()).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
    expect(olderPages.requested).toEqual([111, 61, 11]);
    expect(olderPages.maxInFlight).toBe(1);
    expect(sync.snapshot().loadingOlder).toBe(false);
  });

  it("gap repair: a live message whose seq skips ahead fetches the messages in between", async () => {
    const { ana, room, silent } = await setup();
    await silent("one");
    const { seqs, bodies } = await follow(ana, room.id);
    await expect.poll(seqs).toEqual([1]); // the join's catch-up is done
    await silent("two");
    await silent("three");
    const four = await silent("four");
    server.io.to(roomChannel(room.id)).emit("message:new", four);
    await expect.poll(bodies, { timeout: 5000 }).toEqual(["one", "two", "three", "four"]);
  });

  it("reconnect: after the server drops the socket, reconnecting catches up messages and edits it missed", async () => {
    const { ana, bo, room, silent } = await setup();
    const first = await silent("one");
    const { sync, socket, bodies } = await follow(ana, room.id);
    await expect.poll(bodies).toEqual(["one"]);
    server.io.in(userChannel(ana.id)).disconnectSockets(true);
    await expect.poll(() => sync.snapshot().connected).toBe(false);
    expect(sync.snapshot().synced).toBe(false);
    await silent("two");
    await silent("three");
    await editMessage(bo, { roomId: room.id, messageId: first.id, body: "one, edited" });
    socket.connect(); // what lib/realtime/client/socket.ts does after "io server disconnect"
    await expect.poll(() => sync.snapshot().synced).toBe(true);
    expect(bodies()).toEqual(["one, edited", "two", "three"]);
  });

  it("outbox order: messages queued offline are sent in order, each exactly once, on reconnect", async () => {
    const { ana, room } = await setup();
    const { sync, socket, bodies } = await follow(ana, room.id);
    await expect.poll(() => sync.snapshot().connected).toBe(true);
    socket.disconnect();
    await expect.poll(() => sync.snapshot().connected).toBe(false);
    const ids = ["m0", "m1", "m2", "m3", "m4"].map((b) => sync.send(b));
    expect(sync.snapshot().outbox.map((i) => [i.clientId, i.status])).toEqual(
      ids.map((id) => [id, "pending"]),
    );
    expect(sendLog.get(room.id)).toBeUndefined(); // nothing goes out while offline
    socket.connect();
    await expect.poll(() => sync.snapshot().outbox.length, { timeout: 5000 }).toBe(0);
    expect(sendLog.get(room.id)).toEqual(ids);
    const stored = await storedOf(ana, room.id);
    expect(stored.map((m) => [m.seq, m.clientId, m.body])).toEqual(ids.map((id, i) => [i + 1, id, `m${i}`]));
    await expect.poll(bodies).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });

  it("retries: an unavailable send is retried with the same clientId, and the ones behind it wait their turn", async () => {
    const { ana, room } = await setup();
    const { sync } = await follow(ana, room.id);
    await expect.poll(() => sync.snapshot().connected).toBe(true);
    let refused: string | undefined;
    fault = (p, attempt) => {
      if (p.body !== "first" || attempt > 1) return undefined;
      refused = p.clientId;
      return { code: "unavailable", message: "The database is busy" };
    };
    const ids = ["first", "second", "third"].map((b) => sync.send(b));
    await expect.poll(() => sync.snapshot().outbox.length, { timeout: 10_000 }).toBe(0);
    expect(refused).toBe(ids[0]);
    expect(sendLog.get(room.id)).toEqual([ids[0], ids[0], ids[1], ids[2]]);
    expect((await storedOf(ana, room.id)).map((m) => m.clientId)).toEqual(ids);
  });

  it("retries: a lost ack is retried with the same clientId and answered with the stored message (no duplicate)", async () => {
    const { ana, room, silent } = await setup();
    await silent("before");
    const { sync, seqs } = await follow(ana, room.id, { sendTimeoutMs: 300 });
    // The join's catch-up is over (it would find the stored message and settle it without a retry).
    await expect.poll(seqs).toEqual([1]);
    fault = (_p, attempt) => (attempt === 1 ? "drop-ack" : undefined);
    const id = sync.send("once");
    await expect.poll(() => sync.snapshot().outbox.length, { timeout: 10_000 }).toBe(0);
    expect(sendLog.get(room.id)).toEqual([id, id]);
    expect((await storedOf(ana, room.id)).map((m) => m.clientId)).toEqual([id]);
    expect(seqs()).toEqual([1, 2]);
  });

  it("retries: rate_limited says why it waits, then sends after retryAfterMs", async () => {
    const { ana, room } = await setup();
    const { sync } = await follow(ana, room.id);
    await expect.poll(() => sync.snapshot().connected).toBe(true);
    fault = (_p, attempt) =>
      attempt === 1 ? { code: "rate_limited", message: "Slow down", retryAfterMs: 400 } : undefined;
    const id = sync.send("patient");
    await expect.poll(() => sync.snapshot().outbox[0]?.error).toBe("Slow down");
    expect(sync.snapshot().outbox[0]?.status).toBe("pending");
    await expect.poll(() => sync.snapshot().outbox.length, { timeout: 5000 }).toBe(0);
    expect(sendLog.get(room.id)).toEqual([id, id]);
  });

  it("a refusal that retrying cannot fix is not retried: the message fails, the queue moves on", async () => {
    const { ana, room } = await setup();
    const { sync, bodies } = await follow(ana, room.id);
    await expect.poll(() => sync.snapshot().connected).toBe(true);
    const tooLong = sync.send("x".repeat(4001)); // refused by the real server's validation
    const next = sync.send("after it");
    await expect.poll(bodies, { timeout: 5000 }).toEqual(["after it"]);
    await sleep(1500); // longer than the first automatic retry's delay (1 s)
    expect(sendLog.get(room.id)).toEqual([tooLong, next]);
    const [failed] = sync.snapshot().outbox;
    expect(failed).toMatchObject({ clientId: tooLong, status: "failed" });
    expect(failed?.error).toMatch(/too long/);
    // The user may still retry it by hand: the same clientId goes out again.
    sync.retry(tooLong);
    await expect.poll(() => sendLog.get(room.id)).toEqual([tooLong, next, tooLong]);
  });

  it("edit, delete and react apply the server's answer, or return its error", async () => {
    const { ana, room } = await setup();
    const { sync } = await follow(ana, room.id);
    sync.send("mine");
    await expect.poll(() => sync.snapshot().timeline.bySeq.get(1)?.body).toBe("mine");
    const m = sync.snapshot().timeline.bySeq.get(1) as ChatMessage;
    expect(await sync.edit(m.id, "mine, edited")).toBeUndefined();
    expect(sync.snapshot().timeline.bySeq.get(1)?.body).toBe("mine, edited");
    expect(await sync.react(m.id, "👍")).toBeUndefined();
    expect(sync.snapshot().timeline.bySeq.get(1)?.reactions).toMatchObject([{ emoji: "👍", count: 1 }]);
    expect(await sync.edit(m.id, "")).toMatch(/empty/);
    expect(await sync.remove(m.id)).toBeUndefined();
    expect(sync.snapshot().timeline.bySeq.get(1)?.deleted).toBe(true);
  });
});
