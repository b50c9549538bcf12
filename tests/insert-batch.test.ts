// Group commit across rooms (lib/messages/insert-batch.ts): sends that queue up while a statement
// runs are stored by the next statement together, whatever their rooms. These tests build such
// batches deterministically (one send goes out alone, the next ones queue behind it in the same turn)
// and check each room on its own: seqs gap-free in arrival order, refusals (non-member, archived,
// read-only) and duplicates per message without touching the other rooms, a room whose row another
// transaction holds left to a statement of its own without holding up the rest, a clientId another
// node stores meanwhile, and the webhook trigger over a statement that spans rooms.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { reloadEnv } from "@/lib/env";
import { type InsertedRow, insertMessage, type PendingInsert } from "@/lib/messages/insert-batch";
import { sendMessage } from "@/lib/messages/messages.service";
import { updateRoomSettings } from "@/lib/rooms/moderation.service";
import { joinRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { createOutgoingHook } from "@/lib/webhooks/webhooks.service";
import { makeRoom, makeUser } from "./helpers/fixtures";

const item = (author: SessionUser, body: string, clientId = randomUUID()): PendingInsert => ({
  authorId: author.id,
  clientId,
  body,
  replyToId: null,
  mentions: [],
  fileIds: [],
});

interface Queued {
  roomId: string;
  item: PendingInsert;
  done: Promise<InsertedRow | null>;
}

/**
 * `first` goes out alone (nothing is in flight), so every send of `rest`, queued in the same turn,
 * waits for it and then goes out in one statement (fewer than 256 of them).
 */
function batch(
  first: [string, PendingInsert],
  rest: [string, PendingInsert][],
): { lone: Queued; queued: Queued[] } {
  const q = ([roomId, it]: [string, PendingInsert]): Queued => ({
    roomId,
    item: it,
    done: insertMessage(roomId, it),
  });
  return { lone: q(first), queued: rest.map(q) };
}

/** The transaction id that wrote each message: one statement, one transaction, one xmin. */
async function writers(ids: string[]): Promise<Set<string>> {
  const rows = await db().$queryRaw<{ x: string }[]>`
    SELECT xmin::text AS x FROM "Message" WHERE id = ANY(${ids}::uuid[])`;
  expect(rows).toHaveLength(ids.length);
  return new Set(rows.map((r) => r.x));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/** Waits until a backend runs a statement starting with `text` and waits for a lock. */
async function waitForLockWait(text: string): Promise<void> {
  for (let i = 0; ; i++) {
    const rows = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE wait_event_type = 'Lock' AND query LIKE ${`%${text}%`} AND pid <> pg_backend_pid()`;
    if ((rows[0]?.n ?? 0) > 0) return;
    if (i > 600) throw new Error(`no statement with ${text} waited for a lock`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function members(n: number) {
  const owner = await makeUser("gown");
  const others = await Promise.all(Array.from({ length: n - 1 }, () => makeUser("gmem")));
  return [owner, ...others];
}

/** `count` public rooms of `owner` with `users` as members (the first room joined through the service). */
async function roomsOf(owner: SessionUser, users: SessionUser[], count: number) {
  const rooms = [];
  for (let i = 0; i < count; i++) {
    const room = await makeRoom(owner);
    const joiners = users.filter((u) => u.id !== owner.id);
    if (i === 0) for (const u of joiners) await joinRoom(u, room.id);
    else await db().membership.createMany({ data: joiners.map((u) => ({ roomId: room.id, userId: u.id })) });
    rooms.push(room.id);
  }
  return rooms;
}

describe("group commit across rooms", { timeout: 120_000 }, () => {
  it("stores a burst to many rooms with one statement, each room's seqs gap-free in arrival order", async () => {
    const users = (await members(5)) as [SessionUser, ...SessionUser[]];
    const rooms = await roomsOf(users[0], users, 20);
    const { lone, queued } = batch(
      [rooms[0] as string, item(users[0], "alone")],
      Array.from({ length: 100 }, (_, i) => [
        rooms[i % rooms.length] as string,
        item(users[i % users.length] as SessionUser, `m${i}`),
      ]),
    );
    expect((await lone.done)?.seq).toBe(1);
    const rows = await Promise.all(queued.map((q) => q.done));
    expect(rows.every((r) => r !== null)).toBe(true);
    for (const roomId of rooms) {
      // In each room, seqs follow the order the sends were queued in, from 1 (room 0: after the lone one).
      const seqs = queued.flatMap((q, i) => (q.roomId === roomId ? [rows[i]?.seq] : []));
      const from = roomId === rooms[0] ? 2 : 1;
      expect(seqs).toEqual(Array.from({ length: 5 }, (_, i) => from + i));
      const room = await db().room.findUniqueOrThrow({ where: { id: roomId } });
      expect(room.lastSeq).toBe(from + 4);
      const stored = await db().message.findMany({ where: { roomId }, orderBy: { seq: "asc" } });
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: from + 4 }, (_, i) => i + 1));
    }
    // The 100 queued sends, in 20 rooms, were one transaction.
    expect((await writers(rows.map((r) => r?.id as string))).size).toBe(1);
    // Each author's read marker is its last message in each room.
    const author = users[3] as SessionUser;
    const marker = await db().membership.findUniqueOrThrow({
      where: { roomId_userId: { roomId: rooms[3] as string, userId: author.id } },
    });
    const last = Math.max(
      ...queued.flatMap((q, i) =>
        q.roomId === rooms[3] && q.item.authorId === author.id ? [rows[i]?.seq ?? 0] : [],
      ),
    );
    expect(marker.lastReadSeq).toBe(last);
  });

  it("concurrent sends to many rooms through the service: every send stored once, seqs gap-free per room", async () => {
    const users = (await members(4)) as [SessionUser, ...SessionUser[]];
    const rooms = await roomsOf(users[0], users, 12);
    const results = await Promise.all(
      Array.from({ length: 96 }, (_, i) =>
        sendMessage(users[i % users.length] as SessionUser, {
          roomId: rooms[i % rooms.length] as string,
          clientId: randomUUID(),
          body: `c${i}`,
        }),
      ),
    );
    expect(results.every((r) => r.created)).toBe(true);
    for (const roomId of rooms) {
      const seqs = results.filter((r) => r.message.roomId === roomId).map((r) => r.message.seq);
      expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    }
  });

  it("a non-member, an archived room and a read-only room in the batch refuse only their own sends", async () => {
    const [owner, member, outsider] = (await members(3)) as [SessionUser, SessionUser, SessionUser];
    const [open1, open2, archived, announce] = await roomsOf(owner, [owner, member], 4);
    const closed = (await makeRoom(owner, { isPrivate: true })).id;
    await updateRoomSettings(owner, archived as string, { archived: true });
    await updateRoomSettings(owner, announce as string, { readOnly: true });
    const { lone, queued } = batch(
      [open1 as string, item(member, "first")],
      [
        [open1 as string, item(member, "a")],
        [archived as string, item(member, "to the archive")],
        [closed, item(member, "not a member")],
        [open2 as string, item(outsider, "outsider, not a member")],
        [announce as string, item(member, "member in an announcement room")],
        [announce as string, item(owner, "owner's announcement")],
        [open2 as string, item(member, "b")],
        [open1 as string, item(owner, "c")],
      ],
    );
    await lone.done;
    const rows = await Promise.all(queued.map((q) => q.done));
    expect(rows.map((r) => r?.seq ?? null)).toEqual([2, null, null, null, null, 1, 1, 3]);
    expect((await writers(rows.flatMap((r) => (r ? [r.id] : [])))).size).toBe(1);
    expect(await db().message.count({ where: { roomId: archived as string } })).toBe(0);
    expect(await db().message.count({ where: { roomId: closed } })).toBe(0);
    expect((await db().room.findUniqueOrThrow({ where: { id: open2 as string } })).lastSeq).toBe(1);
    expect((await db().room.findUniqueOrThrow({ where: { id: announce as string } })).lastSeq).toBe(1);

    // The same mix through the service, all at once: each send gets what it would get alone.
    const send = (u: SessionUser, roomId: string) =>
      sendMessage(u, { roomId, clientId: randomUUID(), body: "again" });
    const outcomes = await Promise.all([
      codeOf(send(member, open1 as string)),
      codeOf(send(member, archived as string)),
      codeOf(send(member, closed)),
      codeOf(send(outsider, open2 as string)),
      codeOf(send(member, announce as string)),
      codeOf(send(owner, announce as string)),
      codeOf(send(member, open2 as string)),
    ]);
    expect(outcomes).toEqual(["ok", "forbidden", "not_found", "forbidden", "forbidden", "ok", "ok"]);
  });

  it("duplicates by clientId: stored once, in the batch and against earlier sends, other rooms unaffected", async () => {
    const [ana, bob] = (await members(2)) as [SessionUser, SessionUser];
    const [a, b, c] = await roomsOf(ana, [ana, bob], 3);
    const earlier = randomUUID();
    expect((await insertMessage(a as string, item(ana, "earlier", earlier)))?.seq).toBe(1);
    const twice = randomUUID();
    const elsewhere = randomUUID();
    const { lone, queued } = batch(
      [c as string, item(bob, "first")],
      [
        [a as string, item(ana, "once", twice)],
        [a as string, item(ana, "once (retry)", twice)],
        [b as string, item(ana, "in b", elsewhere)],
        [c as string, item(ana, "same clientId in c", elsewhere)],
        [a as string, item(ana, "earlier (retry)", earlier)],
        [b as string, item(bob, "bob in b")],
        [a as string, item(bob, "bob in a")],
      ],
    );
    await lone.done;
    const rows = await Promise.all(queued.map((q) => q.done));
    expect(rows.map((r) => r?.seq ?? null)).toEqual([2, null, 1, null, null, 2, 3]);
    expect(await db().message.count({ where: { authorId: ana.id, clientId: twice } })).toBe(1);
    expect(await db().message.count({ where: { roomId: c as string } })).toBe(1);

    // Through the service: a retry gets the stored message, a clientId reused in another room is a
    // conflict, and concurrent sends to other rooms go in.
    const retried = randomUUID();
    const reused = randomUUID();
    const results = await Promise.allSettled([
      sendMessage(ana, { roomId: a as string, clientId: retried, body: "r" }),
      sendMessage(ana, { roomId: a as string, clientId: retried, body: "r" }),
      sendMessage(bob, { roomId: b as string, clientId: reused, body: "first use" }),
      sendMessage(bob, { roomId: c as string, clientId: reused, body: "second use" }),
      sendMessage(bob, { roomId: c as string, clientId: randomUUID(), body: "other" }),
    ]);
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const twins = ok.filter((r) => r.message.clientId === retried);
    expect(twins).toHaveLength(2);
    expect(new Set(twins.map((r) => r.message.id)).size).toBe(1);
    expect(twins.filter((r) => r.created)).toHaveLength(1);
    const reuse = results.slice(2, 4);
    expect(reuse.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(reuse.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
    expect(results[4]?.status).toBe("fulfilled");
    for (const roomId of [a, b, c] as string[]) {
      const seqs = (await db().message.findMany({ where: { roomId }, select: { seq: true } })).map(
        (m) => m.seq,
      );
      const room = await db().room.findUniqueOrThrow({ where: { id: roomId } });
      expect(seqs.sort((x, y) => x - y)).toEqual(Array.from({ length: room.lastSeq }, (_, i) => i + 1));
    }
  });

  it("a room whose row is locked elsewhere waits on its own; the rest of the batch goes in meanwhile", async () => {
    const [owner, member] = (await members(2)) as [SessionUser, SessionUser];
    for (const archive of [false, true]) {
      const [x, y, z] = (await roomsOf(owner, [owner, member], 3)) as [string, string, string];
      let others: (InsertedRow | null | undefined)[] = [];
      let xs: Promise<InsertedRow | null>[] = [];
      await db().$transaction(
        async (tx) => {
          // Another transaction holds X's row (an edit's rev bump, a settings change, another node).
          await tx.$queryRaw`SELECT id FROM "Room" WHERE id = ${x}::uuid FOR UPDATE`;
          const { lone, queued } = batch(
            [y, item(member, "y0")],
            [
              [x, item(member, "x1")],
              [y, item(member, "y1")],
              [x, item(owner, "x2")],
              [z, item(owner, "z1")],
            ],
          );
          xs = [queued[0]?.done, queued[2]?.done] as Promise<InsertedRow | null>[];
          // Y and Z are stored while X's row is still held.
          others = await Promise.all([lone.done, queued[1]?.done, queued[3]?.done]);
          // A later send to X queues behind X's waiting statement, not before it.
          xs.push(insertMessage(x, item(member, "x3")));
          // X's sends wait for its row on a statement of their own.
          await waitForLockWait("WITH input AS");
          if (archive) await tx.room.update({ where: { id: x }, data: { archivedAt: new Date() } });
        },
        { timeout: 60_000 },
      );
      expect(others.map((r) => r?.seq)).toEqual([1, 2, 1]);
      const xRows = await Promise.all(xs);
      const stored = await db().message.findMany({ where: { roomId: x }, orderBy: { seq: "asc" } });
      if (archive) {
        // Archived while the sends waited for the row: re-checked on the row they locked, none lands.
        expect(xRows).toEqual([null, null, null]);
        expect(stored).toEqual([]);
        expect((await db().room.findUniqueOrThrow({ where: { id: x } })).lastSeq).toBe(0);
      } else {
        expect(xRows.map((r) => r?.seq)).toEqual([1, 2, 3]);
        expect(stored.map((m) => m.body)).toEqual(["x1", "x2", "x3"]);
      }
    }
  });

  it("a clientId another node stores meanwhile fails the statement; each room then goes in on its own", async () => {
    const [ana, bob] = (await members(2)) as [SessionUser, SessionUser];
    const [w, a, b, c] = (await roomsOf(ana, [ana, bob], 4)) as [string, string, string, string];
    const clash = randomUUID();
    // "Another node": a transaction that stores (ana, clash) in room W and has not committed yet.
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      await other.query("BEGIN");
      await other.query(`UPDATE "Room" SET "lastSeq" = 1 WHERE id = $1`, [w]);
      await other.query(
        `INSERT INTO "Message" ("roomId", seq, "authorId", "clientId", body) VALUES ($1, 1, $2, $3, 'w')`,
        [w, ana.id, clash],
      );
      const { lone, queued } = batch(
        [b, item(bob, "b0")],
        [
          [a, item(ana, "clash", clash)],
          [b, item(bob, "b1")],
          [c, item(ana, "c1")],
        ],
      );
      await lone.done;
      // The statement found no (ana, clash) in its snapshot and waits on the unique index.
      await waitForLockWait("WITH input AS");
      await other.query("COMMIT");
      const rows = await Promise.all(queued.map((q) => q.done));
      expect(rows.map((r) => r?.seq ?? null)).toEqual([null, 2, 1]);
      expect(await db().message.count({ where: { roomId: a } })).toBe(0);
      expect((await db().room.findUniqueOrThrow({ where: { id: a } })).lastSeq).toBe(0);
      await expect(sendMessage(ana, { roomId: a, clientId: clash, body: "clash" })).rejects.toMatchObject({
        code: "conflict",
      });
    } finally {
      await other.end();
    }
  });
});

describe("outgoing webhooks over a statement that spans rooms", { timeout: 120_000 }, () => {
  beforeAll(() => {
    process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1:9";
    reloadEnv();
  });
  afterAll(() => {
    delete process.env.WEBHOOK_ALLOW_HOSTS;
    reloadEnv();
  });

  it("enqueues one delivery per watched room's message, with that room, and none for other rooms", async () => {
    const [owner, member] = (await members(2)) as [SessionUser, SessionUser];
    const [r1, r2, r3] = (await roomsOf(owner, [owner, member], 3)) as [string, string, string];
    const both = await createOutgoingHook(owner, {
      name: "Both rooms",
      url: "http://127.0.0.1:9/both",
      roomIds: [r1, r2],
    });
    const only2 = await createOutgoingHook(owner, {
      name: "Room two",
      url: "http://127.0.0.1:9/two",
      roomIds: [r2],
      triggerWords: ["!go"],
    });
    const { lone, queued } = batch(
      [r3, item(owner, "alone")],
      [
        [r1, item(member, "one")],
        [r2, item(member, "!go two")],
        [r3, item(member, "three")],
        [r2, item(owner, "two again")],
      ],
    );
    await lone.done;
    const rows = await Promise.all(queued.map((q) => q.done));
    const ids = rows.map((r) => r?.id as string);
    expect((await writers(ids)).size).toBe(1);
    const deliveries = await db().webhookDelivery.findMany({ where: { messageId: { in: ids } } });
    const seen = deliveries
      .map((d) => {
        const ev = d.event as { data: { room: { id: string }; message: { id: string; seq: number } } };
        expect(ev.data.room.id).toBe(d.roomId);
        expect(ev.data.message.id).toBe(d.messageId);
        return `${d.hookId === both.id ? "both" : d.hookId === only2.id ? "only2" : "?"}:${ids.indexOf(d.messageId)}:${ev.data.message.seq}`;
      })
      .sort();
    // Message 0 (r1, seq 1), 1 (r2, seq 1, "!go"), 3 (r2, seq 2): the trigger word only on 1.
    expect(seen).toEqual(["both:0:1", "both:1:1", "both:3:2", "only2:1:1"]);
  });
});
