// Group commit for message inserts, across rooms. Every send takes its Room row lock until its commit
// (that is what keeps seq gap-free), and every statement costs a round trip, executor set-up and a
// commit (a WAL flush). Sends that arrive while a statement is running are queued, and the next
// statement stores all of them, whatever their rooms: one round trip, one commit, seqs handed out
// per room in arrival order, and each send still gets its own result. With nothing in flight a send
// goes out at once (no added latency). A room has at most one statement in flight, so its seqs
// follow arrival order. The group statement takes its Room row locks with SKIP LOCKED: a room whose
// row another transaction holds is left out and stored by a statement of its own that waits for the
// lock, so one busy row never holds up every room. A statement that waits holds no other Room row,
// so statements (of this node or another) cannot deadlock on Room rows.
// The statement checks membership and "not stored yet" per message, so a retry or a non-member's
// send stores nothing and the caller finds out why (messages.service.ts). It also refuses messages
// to an archived room, and to an announcement (read-only) room from anyone but its moderators, in the
// UPDATE of the Room row itself: an archive or read-only switch that commits while a send waits for
// that row lock is re-checked on the new row (PostgreSQL re-evaluates an UPDATE's WHERE on the row
// version it locks), so no message lands after it.
import { isUniqueViolation, prepared } from "@/lib/db/client";
import { metrics } from "@/lib/ops/metrics";

export interface PendingInsert {
  authorId: string;
  clientId: string;
  body: string;
  replyToId: string | null;
  /** Users mentioned by this message (members of the room). */
  mentions: string[];
  /** Files to attach, in order: the author's, ready, unattached, uploaded for this room. */
  fileIds: string[];
  /** Message.meta as JSON text (a webhook's message), or null/absent. */
  meta?: string | null;
  /** "action" for a /me message (lib/commands); ordinary messages are "text" (the default). */
  kind?: MessageKind;
}

export type MessageKind = "text" | "action";

export interface InsertedRow {
  id: string;
  seq: number;
  createdAt: Date;
  /** The author's avatar as stored now (for MessageAuthor.avatarUrl). */
  avatarKey: string | null;
  avatarVersion: number;
  /** The author is a bot (MessageAuthor.isBot). */
  isBot: boolean;
}

interface Waiter {
  roomId: string;
  item: PendingInsert;
  resolve: (row: InsertedRow | null) => void;
  reject: (err: unknown) => void;
}

/** Most messages one statement stores (bounds the statement's size and its lock time). */
const MAX_BATCH = 256;

interface Queue {
  /** Sends not in a statement yet, every room's, in arrival order. */
  waiting: Waiter[];
  /** Rooms with a statement in flight: a room's next statement waits for it (seq in arrival order). */
  busy: Set<string>;
  /** The group statement loop (pump) is running. */
  pumping: boolean;
}

const g = globalThis as unknown as { __beaconInsertQueue?: Queue };
g.__beaconInsertQueue ??= { waiting: [], busy: new Set(), pumping: false };
const queue = g.__beaconInsertQueue;

/**
 * Store one message in `roomId`, batched with concurrent sends (to any room). Resolves with the
 * stored row, or null when nothing was stored (already stored under this clientId, or the author is
 * not a member, or the room is gone).
 */
export function insertMessage(roomId: string, item: PendingInsert): Promise<InsertedRow | null> {
  return new Promise((resolve, reject) => {
    queue.waiting.push({ roomId, item, resolve, reject });
    if (!queue.pumping) void pump();
  });
}

/** Hands each waiter of a finished statement its outcome (which sets off its ack and broadcast). */
type Settle = () => void;

/**
 * The waiting sends of rooms without a statement in flight, oldest first, at most MAX_BATCH; they
 * leave the queue and their rooms become busy.
 */
function take(): Waiter[] {
  const batch: Waiter[] = [];
  const rest: Waiter[] = [];
  for (const w of queue.waiting) {
    if (batch.length < MAX_BATCH && !queue.busy.has(w.roomId)) batch.push(w);
    else rest.push(w);
  }
  queue.waiting = rest;
  for (const w of batch) queue.busy.add(w.roomId);
  return batch;
}

/**
 * The group statement loop: one statement at a time for every room with waiting sends. Sends that
 * arrive while it runs go together in the next one (one round trip, one commit for all of them).
 */
async function pump(): Promise<void> {
  queue.pumping = true;
  let settle: Settle | undefined;
  try {
    for (let batch = take(); batch.length > 0; batch = take()) {
      metrics().insertBatch.observe(batch.length);
      const next = storeGroup(batch);
      // Pipelining: the next statement is on its way (pg writes it on the next tick) before the
      // previous batch's acks and broadcasts run, so the database works on one batch while this
      // process fans out the other. Settling after pg's tick keeps that order; batches still
      // settle in seq order, since the next result can only arrive on a later turn of the loop.
      if (settle) process.nextTick(settle);
      settle = await next;
    }
  } finally {
    settle?.();
    queue.pumping = false;
    if (queue.waiting.some((w) => !queue.busy.has(w.roomId))) void pump();
  }
}

const keyOf = (i: Pick<PendingInsert, "authorId" | "clientId">) => `${i.authorId}:${i.clientId}`;

function byRoom(waiters: Waiter[]): Map<string, Waiter[]> {
  const rooms = new Map<string, Waiter[]>();
  for (const w of waiters) {
    const list = rooms.get(w.roomId);
    if (list) list.push(w);
    else rooms.set(w.roomId, [w]);
  }
  return rooms;
}

/**
 * One group statement for `batch` (rooms all free). It never waits for a Room row lock (SKIP
 * LOCKED): a room whose row another transaction holds (an edit's rev bump, a settings change, a
 * room being deleted, another node's statement) is skipped and stored by a statement of its own,
 * which waits for that lock without holding up every other room (slowLane). Rooms done here are
 * free again as soon as the result is in; the returned function settles their sends.
 */
async function storeGroup(batch: Waiter[]): Promise<Settle> {
  // The same (author, clientId) twice in one batch (a client retrying itself) is stored once: the
  // statement would otherwise fail on the unique index. The later copies get null → "already stored"
  // (or, if the first did not go in, messages.service finds out why and tries once more).
  const first = new Map<string, Waiter>();
  const later: Waiter[] = [];
  for (const w of batch) {
    if (first.has(keyOf(w.item))) later.push(w);
    else first.set(keyOf(w.item), w);
  }
  const waiters = [...first.values()];
  const rooms = byRoom(waiters);
  const release = (roomId: string) => queue.busy.delete(roomId);
  // A room whose only sends here are later copies (a clientId reused in another room) has no statement.
  for (const w of later) if (!rooms.has(w.roomId)) release(w.roomId);
  let stored: Stored;
  try {
    stored = await insertRows(waiters, "skip");
  } catch (err) {
    // Nothing of the batch went in. One room, and not a clientId another node stored meanwhile:
    // its sends fail, as they would alone. Otherwise each room tries again alone, so that one
    // room's failure (or duplicate) does not fail the others.
    const [only] = rooms.keys();
    if (rooms.size === 1 && only && !isUniqueViolation(err)) {
      release(only);
      return () => {
        for (const w of waiters) w.reject(err);
        for (const w of later) w.resolve(null);
      };
    }
    for (const [roomId, list] of rooms) slowLane(roomId, list);
    return () => {
      for (const w of later) w.resolve(null);
    };
  }
  for (const [roomId, list] of rooms) {
    if (stored.skipped.has(roomId)) slowLane(roomId, list);
    else release(roomId);
  }
  return () => {
    for (const w of waiters)
      if (!stored.skipped.has(w.roomId)) w.resolve(stored.rows.get(keyOf(w.item)) ?? null);
    for (const w of later) w.resolve(null);
  };
}

/**
 * One room's sends on a statement of their own that waits for the Room row lock; the room stays busy
 * until it is done (its later sends queue behind it), then rejoins the group statements.
 */
function slowLane(roomId: string, waiters: Waiter[]): void {
  metrics().insertBatch.observe(waiters.length);
  void store(waiters)
    .then((settle) => settle())
    .finally(() => {
      queue.busy.delete(roomId);
      if (!queue.pumping && queue.waiting.some((w) => !queue.busy.has(w.roomId))) void pump();
    });
}

/** Stores one room's `waiters` with one statement that waits for its lock; the returned function settles them. */
async function store(waiters: Waiter[]): Promise<Settle> {
  try {
    const { rows } = await insertRows(waiters, "wait");
    return () => {
      for (const w of waiters) w.resolve(rows.get(keyOf(w.item)) ?? null);
    };
  } catch (err) {
    if (!isUniqueViolation(err))
      return () => {
        for (const w of waiters) w.reject(err);
      };
    // Another node stored this clientId meanwhile: nothing of ours went in.
    if (waiters.length === 1) return () => waiters[0]?.resolve(null);
    // The whole statement rolled back: store them one by one (each goes in or finds its twin).
    const each: Settle[] = [];
    for (const w of waiters) each.push(await store([w]));
    return () => {
      for (const s of each) s();
    };
  }
}

/**
 * Who may post in an announcement room `room`, for author `a`: its owner and room moderators, and
 * workspace moderators and above (lib/workspace/roles.ts canModerateRoom), deactivated or not.
 */
const moderates = (a: string, room: string) => `(
    EXISTS (SELECT 1 FROM "Membership" WHERE "roomId" = ${room} AND "userId" = ${a}
            AND role IN ('owner', 'moderator'))
    OR EXISTS (SELECT 1 FROM "User" WHERE id = ${a} AND role IN ('moderator', 'admin', 'owner')))`;

/**
 * How a statement takes its Room row locks. "skip" (group statements): rooms whose row another
 * transaction holds are left out and reported back, so a group statement never waits for a lock
 * (and two statements can never wait for each other's Room rows: no deadlock between nodes).
 * "wait" (one room's statement of its own): it waits for the lock, as a lone send always did.
 * Either way the lock is taken before the UPDATE, which then re-checks archived and read-only on the
 * row version it locked.
 */
type LockMode = "skip" | "wait";
const lockClause = (mode: LockMode) => `FOR NO KEY UPDATE${mode === "skip" ? " SKIP LOCKED" : ""}`;

/**
 * One statement, so one transaction, for messages to any number of rooms: each room's counter, the
 * inserts, their mentions and the authors' read markers commit (or roll back) together, which keeps
 * every room's seq gap-free (in each room, seqs follow the order of the arrays). Messages whose
 * author is not a member, or whose clientId is already stored, or one of whose files cannot be
 * attached (not the author's, not ready, already attached, another room), are skipped and get no
 * seq. In an announcement room only moderators' messages go in. If a room was archived or made
 * read-only after the statement's snapshot, the Room UPDATE finds that on the row it locks and
 * stores nothing of that room (its senders find out why, and moderators' sends are tried once more);
 * the other rooms are not affected. The files are attached by the same statement, and their names
 * (split into words) are stored in "fileNames" for search.
 * $1–$5: authors, clientIds, bodies, replyTos, rooms (one per message); $6–$8: mentions as
 * (author, clientId, mentioned user) triples; $9–$12: files as (author, clientId, file, position);
 * $13: Message.meta as JSON text, one per message (null for ordinary messages);
 * $14: kinds (one per message, "text" or "action").
 * Rows: one per stored message, and one per room left out because its row was locked (`skipped`).
 */
const insertMessages = (mode: LockMode) => `
  WITH input AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $13::text[], $14::text[])
           WITH ORDINALITY AS t(author, client, body, reply, room, meta, kind, ord)
  ), snap AS (
    SELECT id, "readOnly" FROM "Room" WHERE id IN (SELECT room FROM input)
  ), fin AS (
    SELECT * FROM unnest($9::uuid[], $10::uuid[], $11::uuid[], $12::int[]) AS t(a, c, file, pos)
  ), ok AS (
    SELECT input.*, row_number() OVER (PARTITION BY room ORDER BY ord) AS k FROM input
    WHERE EXISTS (SELECT 1 FROM "Membership" WHERE "roomId" = input.room AND "userId" = input.author)
      AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "authorId" = input.author AND "clientId" = input.client)
      AND (SELECT count(*) FROM fin JOIN "File" f ON f.id = fin.file
           WHERE fin.a = input.author AND fin.c = input.client AND f."uploaderId" = input.author
             AND f."roomId" = input.room AND f."messageId" IS NULL AND f.state = 'ready')
        = (SELECT count(*) FROM fin WHERE fin.a = input.author AND fin.c = input.client)
      AND (NOT coalesce((SELECT "readOnly" FROM snap WHERE snap.id = input.room), false)
           OR ${moderates("input.author", "input.room")})
  ), n AS (
    SELECT room, count(*)::int AS n FROM ok GROUP BY room
  ), lk AS (
    SELECT id FROM "Room" WHERE id IN (SELECT room FROM n) ORDER BY id ${lockClause(mode)}
  ), r AS (
    UPDATE "Room" SET "lastSeq" = "lastSeq" + n.n, "lastMessageAt" = now() FROM n
    WHERE "Room".id = n.room AND "Room".id IN (SELECT id FROM lk) AND "archivedAt" IS NULL
      AND (NOT "readOnly" OR coalesce((SELECT "readOnly" FROM snap WHERE snap.id = "Room".id), false))
    RETURNING "Room".id AS room, "lastSeq" - n.n AS base
  ), m AS (
    INSERT INTO "Message" ("roomId", "seq", "authorId", "clientId", "body", "replyToId", "meta", "kind", "fileNames")
    SELECT ok.room, r.base + ok.k, ok.author, ok.client, ok.body, ok.reply, ok.meta::jsonb, ok.kind,
           coalesce((SELECT string_agg(regexp_replace(f.name, '[^[:alnum:]]+', ' ', 'g'), ' ' ORDER BY fin.pos) FROM fin JOIN "File" f ON f.id = fin.file
                     WHERE fin.a = ok.author AND fin.c = ok.client), '')
    FROM ok JOIN r ON r.room = ok.room ORDER BY ok.room, ok.k
    RETURNING id, seq, "createdAt", "authorId", "clientId", "roomId"
  ), x AS (
    INSERT INTO "Mention" ("messageId", "userId", "roomId", "seq")
    SELECT m.id, mu.u, m."roomId", m.seq
    FROM unnest($6::uuid[], $7::uuid[], $8::uuid[]) AS mu(a, c, u)
    JOIN m ON m."authorId" = mu.a AND m."clientId" = mu.c
  ), y AS (
    UPDATE "Membership" SET "lastReadSeq" = last.seq
    FROM (SELECT "roomId", "authorId", max(seq) AS seq FROM m GROUP BY "roomId", "authorId") last
    WHERE "Membership"."roomId" = last."roomId" AND "Membership"."userId" = last."authorId"
      AND "Membership"."lastReadSeq" < last.seq
  ), f AS (
    UPDATE "File" SET "messageId" = m.id, seq = m.seq, position = fin.pos
    FROM fin JOIN m ON m."authorId" = fin.a AND m."clientId" = fin.c
    WHERE "File".id = fin.file
  )
  SELECT m.id, m.seq, m."createdAt", m."authorId", m."clientId", u."avatarKey", u."avatarVersion", u."isBot",
         NULL::uuid AS skipped
  FROM m JOIN "User" u ON u.id = m."authorId"
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n.room FROM n WHERE n.room NOT IN (SELECT id FROM lk)`;

/**
 * The same for exactly one message, which is what a quiet server sends: no arrays to unnest, no
 * numbering, no grouping. PostgreSQL spends about a fifth less CPU on it (247–260 µs against
 * 303–310 µs per send, 3,000 sequential sends on the embedded database), and a lone send is the
 * common case. $1–$5 as above for one message; $6: the users it mentions; $7: its files, in order;
 * $8: its meta (JSON text or null); $9: its kind. Locks, archived and read-only as above.
 */
const insertOneMessage = (mode: LockMode) => `
  WITH ok AS (
    SELECT 1 FROM "Membership" WHERE "roomId" = $5::uuid AND "userId" = $1::uuid
      AND NOT EXISTS (SELECT 1 FROM "Message" WHERE "authorId" = $1::uuid AND "clientId" = $2::uuid)
      AND (SELECT count(*) FROM "File" WHERE id = ANY($7::uuid[]) AND "uploaderId" = $1::uuid
             AND "roomId" = $5::uuid AND "messageId" IS NULL AND state = 'ready') = cardinality($7::uuid[])
  ), lk AS (
    SELECT id FROM "Room" WHERE id = $5::uuid AND EXISTS (SELECT 1 FROM ok) ${lockClause(mode)}
  ), r AS (
    UPDATE "Room" SET "lastSeq" = "lastSeq" + 1, "lastMessageAt" = now()
    WHERE id = (SELECT id FROM lk) AND "archivedAt" IS NULL
      AND (NOT "readOnly" OR ${moderates("$1::uuid", "$5::uuid")})
    RETURNING "lastSeq"
  ), m AS (
    INSERT INTO "Message" ("roomId", "seq", "authorId", "clientId", "body", "replyToId", "meta", "kind", "fileNames")
    SELECT $5::uuid, r."lastSeq", $1::uuid, $2::uuid, $3, $4::uuid, $8::jsonb, $9::text,
           coalesce((SELECT string_agg(regexp_replace(name, '[^[:alnum:]]+', ' ', 'g'), ' ')
                     FROM "File" WHERE id = ANY($7::uuid[])), '')
    FROM r
    RETURNING id, seq, "createdAt"
  ), x AS (
    INSERT INTO "Mention" ("messageId", "userId", "roomId", "seq")
    SELECT m.id, u, $5::uuid, m.seq FROM m, unnest($6::uuid[]) AS u
  ), y AS (
    UPDATE "Membership" SET "lastReadSeq" = m.seq FROM m
    WHERE "Membership"."roomId" = $5::uuid AND "Membership"."userId" = $1::uuid
      AND "Membership"."lastReadSeq" < m.seq
  ), f AS (
    UPDATE "File" SET "messageId" = m.id, seq = m.seq, position = fi.ord - 1
    FROM m, unnest($7::uuid[]) WITH ORDINALITY AS fi(id, ord)
    WHERE "File".id = fi.id
  )
  SELECT m.id, m.seq, m."createdAt", u."avatarKey", u."avatarVersion", u."isBot", false AS skipped
  FROM m JOIN "User" u ON u.id = $1::uuid
  UNION ALL
  SELECT NULL, NULL, NULL, NULL, NULL, NULL, true WHERE EXISTS (SELECT 1 FROM ok) AND NOT EXISTS (SELECT 1 FROM lk)`;

const STATEMENTS = {
  one: { skip: insertOneMessage("skip"), wait: insertOneMessage("wait") },
  many: { skip: insertMessages("skip"), wait: insertMessages("wait") },
};

interface Stored {
  /** The stored rows by author:clientId. */
  rows: Map<string, InsertedRow>;
  /** Rooms left out because another transaction held their row ("skip" only). */
  skipped: Set<string>;
}

const rowOf = (r: InsertedRow): InsertedRow => ({
  id: r.id,
  seq: r.seq,
  createdAt: r.createdAt,
  avatarKey: r.avatarKey,
  avatarVersion: r.avatarVersion,
  isBot: r.isBot,
});

async function insertRows(waiters: Waiter[], mode: LockMode): Promise<Stored> {
  const [only] = waiters;
  if (only && waiters.length === 1) {
    const { item, roomId } = only;
    const rows = await prepared<InsertedRow & { skipped: boolean }>(
      `beacon_insert_message_${mode}`,
      STATEMENTS.one[mode],
      [
        item.authorId,
        item.clientId,
        item.body,
        item.replyToId,
        roomId,
        item.mentions,
        item.fileIds,
        item.meta ?? null,
        item.kind ?? "text",
      ],
    );
    const stored = rows.find((r) => !r.skipped);
    return {
      rows: new Map(stored ? [[keyOf(item), rowOf(stored)]] : []),
      // A "wait" statement that finds no row to lock: the room is gone (nothing stored, the service says why).
      skipped: new Set(mode === "skip" && rows.some((r) => r.skipped) ? [roomId] : []),
    };
  }
  const items = waiters.map((w) => w.item);
  const mentionAuthor: string[] = [];
  const mentionClient: string[] = [];
  const mentionUser: string[] = [];
  for (const it of items)
    for (const u of it.mentions) {
      mentionAuthor.push(it.authorId);
      mentionClient.push(it.clientId);
      mentionUser.push(u);
    }
  const fileAuthor: string[] = [];
  const fileClient: string[] = [];
  const fileId: string[] = [];
  const filePos: number[] = [];
  for (const it of items)
    it.fileIds.forEach((f, pos) => {
      fileAuthor.push(it.authorId);
      fileClient.push(it.clientId);
      fileId.push(f);
      filePos.push(pos);
    });
  const rows = await prepared<InsertedRow & { authorId: string; clientId: string; skipped: string | null }>(
    `beacon_insert_messages_${mode}`,
    STATEMENTS.many[mode],
    [
      items.map((i) => i.authorId),
      items.map((i) => i.clientId),
      items.map((i) => i.body),
      items.map((i) => i.replyToId),
      waiters.map((w) => w.roomId),
      mentionAuthor,
      mentionClient,
      mentionUser,
      fileAuthor,
      fileClient,
      fileId,
      filePos,
      items.map((i) => i.meta ?? null),
      items.map((i) => i.kind ?? "text"),
    ],
  );
  const stored: Stored = { rows: new Map(), skipped: new Set() };
  for (const r of rows) {
    if (r.skipped !== null) {
      if (mode === "skip") stored.skipped.add(r.skipped);
    } else stored.rows.set(keyOf(r), rowOf(r));
  }
  return stored;
}
