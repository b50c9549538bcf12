// Group commit for message inserts. Every send in a room takes the Room row lock until its commit
// (that is what keeps seq gap-free), so one statement per message caps a room at one commit (one WAL
// flush) at a time. Sends to a room that arrive while its previous statement is running are queued
// and stored together by the next statement: one lock, one commit, seqs handed out in arrival order,
// and each send still gets its own result. With no queue a send goes out at once (no added latency).
// The statement checks membership and "not stored yet" per message, so a retry or a non-member's
// send stores nothing and the caller finds out why (messages.service.ts).
import { db, isUniqueViolation } from "@/lib/db/client";

export interface PendingInsert {
  authorId: string;
  clientId: string;
  body: string;
  replyToId: string | null;
  /** Users mentioned by this message (members of the room). */
  mentions: string[];
}

export interface InsertedRow {
  id: string;
  seq: number;
  createdAt: Date;
}

interface Waiter {
  item: PendingInsert;
  resolve: (row: InsertedRow | null) => void;
  reject: (err: unknown) => void;
}

/** Most messages one statement stores (bounds the statement's size and its lock time). */
const MAX_BATCH = 256;

interface RoomQueue {
  waiting: Waiter[];
  running: boolean;
}

const g = globalThis as unknown as { __beaconInsertQueues?: Map<string, RoomQueue> };
g.__beaconInsertQueues ??= new Map();
const queues = g.__beaconInsertQueues;

/**
 * Store one message in `roomId`, batched with concurrent sends to the same room. Resolves with the
 * stored row, or null when nothing was stored (already stored under this clientId, or the author is
 * not a member, or the room is gone).
 */
export function insertMessage(roomId: string, item: PendingInsert): Promise<InsertedRow | null> {
  return new Promise((resolve, reject) => {
    let q = queues.get(roomId);
    if (!q) {
      q = { waiting: [], running: false };
      queues.set(roomId, q);
    }
    q.waiting.push({ item, resolve, reject });
    if (!q.running) void drain(roomId, q);
  });
}

async function drain(roomId: string, q: RoomQueue): Promise<void> {
  q.running = true;
  try {
    while (q.waiting.length > 0) {
      const batch = q.waiting.splice(0, MAX_BATCH);
      await storeBatch(roomId, batch);
    }
  } finally {
    q.running = false;
    if (q.waiting.length === 0) queues.delete(roomId);
    else void drain(roomId, q);
  }
}

const keyOf = (i: Pick<PendingInsert, "authorId" | "clientId">) => `${i.authorId}:${i.clientId}`;

async function storeBatch(roomId: string, batch: Waiter[]): Promise<void> {
  // The same (author, clientId) twice in one batch (a client retrying itself) is stored once: the
  // statement would otherwise fail on the unique index. The later copies get null → "already stored".
  const first = new Map<string, Waiter>();
  const later: Waiter[] = [];
  for (const w of batch) {
    if (first.has(keyOf(w.item))) later.push(w);
    else first.set(keyOf(w.item), w);
  }
  await store(roomId, [...first.values()]);
  for (const w of later) w.resolve(null);
}

/** Stores `waiters` with one statement and settles each of them. */
async function store(roomId: string, waiters: Waiter[]): Promise<void> {
  try {
    const rows = await insertRows(
      roomId,
      waiters.map((w) => w.item),
    );
    for (const w of waiters) w.resolve(rows.get(keyOf(w.item)) ?? null);
  } catch (err) {
    if (!isUniqueViolation(err)) for (const w of waiters) w.reject(err);
    // Another node stored this clientId meanwhile: nothing of ours went in.
    else if (waiters.length === 1) waiters[0]?.resolve(null);
    // The whole statement rolled back: store them one by one (each goes in or finds its twin).
    else for (const w of waiters) await store(roomId, [w]);
  }
}

/**
 * One statement, so one transaction: the room's counter, the inserts, their mentions and the
 * authors' read markers commit (or roll back) together, which keeps seq gap-free. Messages whose
 * author is not a member, or whose clientId is already stored, are skipped and get no seq.
 */
async function insertRows(roomId: string, items: PendingInsert[]): Promise<Map<string, InsertedRow>> {
  const mentionAuthor: string[] = [];
  const mentionClient: string[] = [];
  const mentionUser: string[] = [];
  for (const it of items)
    for (const u of it.mentions) {
      mentionAuthor.push(it.authorId);
      mentionClient.push(it.clientId);
      mentionUser.push(u);
    }
  const rows = await db().$queryRaw<
    { id: string; seq: number; createdAt: Date; authorId: string; clientId: string }[]
  >`
    WITH input AS (
      SELECT * FROM unnest(${items.map((i) => i.authorId)}::uuid[], ${items.map((i) => i.clientId)}::uuid[],
                           ${items.map((i) => i.body)}::text[], ${items.map((i) => i.replyToId)}::uuid[])
             WITH ORDINALITY AS t(author, client, body, reply, ord)
    ), ok AS (
      SELECT input.*, row_number() OVER (ORDER BY ord) AS k FROM input
      WHERE EXISTS (SELECT 1 FROM "Membership" WHERE "roomId" = ${roomId}::uuid AND "userId" = input.author)
        AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "authorId" = input.author AND "clientId" = input.client)
    ), n AS (
      SELECT count(*)::int AS n FROM ok
    ), r AS (
      UPDATE "Room" SET "lastSeq" = "lastSeq" + n.n, "lastMessageAt" = now() FROM n
      WHERE id = ${roomId}::uuid AND n.n > 0
      RETURNING "lastSeq" - n.n AS base
    ), m AS (
      INSERT INTO "Message" ("roomId", "seq", "authorId", "clientId", "body", "replyToId")
      SELECT ${roomId}::uuid, r.base + ok.k, ok.author, ok.client, ok.body, ok.reply
      FROM ok, r ORDER BY ok.k
      RETURNING id, seq, "createdAt", "authorId", "clientId"
    ), x AS (
      INSERT INTO "Mention" ("messageId", "userId", "roomId", "seq")
      SELECT m.id, mu.u, ${roomId}::uuid, m.seq
      FROM unnest(${mentionAuthor}::uuid[], ${mentionClient}::uuid[], ${mentionUser}::uuid[]) AS mu(a, c, u)
      JOIN m ON m."authorId" = mu.a AND m."clientId" = mu.c
    ), y AS (
      UPDATE "Membership" SET "lastReadSeq" = last.seq
      FROM (SELECT "authorId", max(seq) AS seq FROM m GROUP BY "authorId") last
      WHERE "Membership"."roomId" = ${roomId}::uuid AND "Membership"."userId" = last."authorId"
        AND "Membership"."lastReadSeq" < last.seq
    )
    SELECT id, seq, "createdAt", "authorId", "clientId" FROM m`;
  return new Map(rows.map((r) => [keyOf(r), { id: r.id, seq: r.seq, createdAt: r.createdAt }]));
}
