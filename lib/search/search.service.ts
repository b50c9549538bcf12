// Full-text search over every room and DM the actor may see (public channels and rooms they belong
// to): PostgreSQL tsvector/GIN, prefix match on the last word, newest first, ts_headline highlights.
import { db, hasSqlState } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { FileView } from "@/lib/files/files.schema";
import { fileViewSelect, toFileView } from "@/lib/files/files.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { currentRole } from "@/lib/workspace/access";
import { isGuest } from "@/lib/workspace/roles";
import { parseQuery, type SearchHit, searchSchema } from "./search.schema";

/** How many of the newest messages the first, cheap pass walks before falling back to the index. */
const RECENT_WINDOW = 20_000;

/**
 * Search's share of the process: at most `concurrent` searches hold a database connection at once
 * (the pool has DATABASE_POOL_SIZE, default 10: sends must always find one), `queued` more wait for a
 * turn, any beyond are refused at once; each statement may run `timeoutMs`. Tests lower these.
 */
export const searchBudget = { concurrent: 3, queued: 12, timeoutMs: 2000, perUser: 2 };

/**
 * Searches each user has running or queued in this process: one person firing searches in a loop
 * takes at most `perUser` of the shared slots, never all of them.
 */
const perUser = new Map<string, number>();

let running = 0;
const waiting: (() => void)[] = [];

/** Take a search slot (synchronously when one is free), or a turn in the short queue. */
function acquireSlot(): Promise<void> {
  if (running < searchBudget.concurrent) {
    running++;
    return Promise.resolve();
  }
  if (waiting.length >= searchBudget.queued)
    throw new AppError("unavailable", "Search is busy right now. Try again in a moment.", {
      retryAfterMs: 1000,
    });
  return new Promise((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next)
    next(); // the slot passes straight to the next in line
  else running--;
}

/** Runs `fn` within the search budget, as `userId`'s. */
async function withSearchSlot<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const mine = perUser.get(userId) ?? 0;
  if (mine >= searchBudget.perUser)
    throw new AppError("rate_limited", "Your earlier searches are still running. Try again in a moment.", {
      retryAfterMs: 1000,
    });
  perUser.set(userId, mine + 1);
  try {
    return await withSharedSlot(fn);
  } finally {
    const left = (perUser.get(userId) ?? 1) - 1;
    if (left > 0) perUser.set(userId, left);
    else perUser.delete(userId);
  }
}

async function withSharedSlot<T>(fn: () => Promise<T>): Promise<T> {
  await acquireSlot();
  try {
    return await fn();
  } catch (err) {
    if (hasSqlState(err, "57014"))
      // query_canceled: statement_timeout fired
      throw new AppError(
        "unavailable",
        "This search took too long. Add words, or narrow it to a room with in:#room.",
      );
    throw err;
  } finally {
    releaseSlot();
  }
}

/** words → "w1 & w2 & last:*" (lexemes are letters/digits only, so nothing needs escaping). */
export function toTsQuery(words: string[]): string {
  return words.map((w, i) => (i === words.length - 1 ? `${w}:*` : w)).join(" & ");
}

type Row = {
  id: string;
  roomId: string;
  roomName: string;
  roomKind: string;
  seq: number;
  createdAt: Date;
  authorId: string;
  username: string;
  displayName: string;
  deactivated: boolean;
  isBot: boolean;
  highlighted: string;
};

/**
 * Bounded by what the actor can see: the visible rooms (after in:#room) are listed first. When they
 * hold at most RECENT_WINDOW messages, only those are read. Otherwise two passes, because the planner
 * cannot know how rare a word is (a lexeme missing from its statistics looks like 0.5% of rows):
 * first walk the newest RECENT_WINDOW messages, which finds a page of a common word in a few ms; if
 * that does not fill the page, read every match from the GIN index (cheap precisely because the word
 * is rare there) and sort those. Every statement runs under searchBudget's timeout and concurrency.
 */
export async function searchMessages(
  actor: Pick<SessionUser, "id">,
  input: unknown,
): Promise<{ hits: SearchHit[]; hasMore: boolean }> {
  const { q, limit, before } = parseOrThrow(searchSchema, input);
  const parsed = parseQuery(q);
  if (parsed.words.length === 0 && !parsed.room && !parsed.from && !parsed.has)
    return { hits: [], hasMore: false };
  const has = parsed.has ?? null;
  const tsq = parsed.words.length > 0 ? toTsQuery(parsed.words) : null;
  // Guests see only the rooms they were added to: public rooms count for everyone else.
  const publicRooms = !isGuest((await currentRole(actor.id)).role);
  const cursor = before
    ? Prisma.sql`AND ("createdAt", id) < (SELECT c."createdAt", c.id FROM "Message" c
        WHERE c.id = ${before}::uuid AND c."roomId" IN (SELECT id FROM visible))`
    : Prisma.empty;

  const run = (source: Prisma.Sql, tx: Prisma.TransactionClient) =>
    tx.$queryRaw<Row[]>`
      WITH visible AS (
        SELECT r.id, r.name, r.kind FROM "Room" r
        WHERE (r."isPrivate" = false AND ${publicRooms}::boolean)
           OR EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = r.id AND m."userId" = ${actor.id}::uuid)
      ), hits AS (
        SELECT msg.id, msg."roomId", v.name AS "roomName", v.kind AS "roomKind", msg.seq, msg."createdAt",
               msg.body, msg."fileNames", u.id AS "authorId", u.username, u."displayName",
               u."deactivatedAt" IS NOT NULL AS deactivated, u."isBot"
        FROM ${source} msg
        JOIN visible v ON v.id = msg."roomId"
        JOIN "User" u ON u.id = msg."authorId"
        WHERE msg."deletedAt" IS NULL
          AND (${tsq}::text IS NULL OR msg.search_vector @@ to_tsquery('english', ${tsq}::text))
          AND (${parsed.room ?? null}::text IS NULL OR (v.kind = 'channel' AND lower(v.name) = ${parsed.room ?? null}::text))
          AND (${parsed.from ?? null}::text IS NULL OR u.username = ${parsed.from ?? null}::text)
          AND (${has}::text IS NULL OR EXISTS (SELECT 1 FROM "File" f WHERE f."messageId" = msg.id
               AND f.state = 'ready' AND (${has}::text = 'file' OR f.kind = 'image')))
        ORDER BY msg."createdAt" DESC, msg.id DESC
        LIMIT ${limit + 1}
      )
      SELECT h.id, h."roomId", h."roomName", h."roomKind", h.seq, h."createdAt", h."authorId", h.username,
             h."displayName", h.deactivated, h."isBot",
             CASE WHEN ${tsq}::text IS NULL THEN left(h.body, 300)
                  ELSE ts_headline('english', trim(h.body || ' ' || h."fileNames"), to_tsquery('english', ${tsq}::text),
                         'StartSel=' || chr(2) || ',StopSel=' || chr(3) || ',MaxWords=40,MinWords=15,HighlightAll=false')
             END AS highlighted
      FROM hits h ORDER BY h."createdAt" DESC, h.id DESC`;

  const rows = await withSearchSlot(actor.id, () =>
    db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL statement_timeout = ${Math.floor(searchBudget.timeoutMs)}`);
      // What the actor may see, with the room filter applied, first: an unknown or unseen room ends
      // the search here, and how many messages the visible rooms hold picks the plan below.
      const [seen] = await tx.$queryRaw<{ ids: string[]; messages: number }[]>`
        SELECT coalesce(array_agg(r.id), '{}') AS ids, coalesce(sum(r."lastSeq"), 0)::float8 AS messages
        FROM "Room" r
        WHERE ((r."isPrivate" = false AND ${publicRooms}::boolean)
               OR EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = r.id AND m."userId" = ${actor.id}::uuid))
          AND (${parsed.room ?? null}::text IS NULL OR (r.kind = 'channel' AND lower(r.name) = ${parsed.room ?? null}::text))`;
      if (!seen || seen.ids.length === 0) return [];
      if (seen.messages <= RECENT_WINDOW) {
        // Few visible messages (however many others there are): read just those, through the
        // (roomId, seq) index. OFFSET 0 keeps the planner from merging in the word match and
        // choosing the full-text index, which would walk every matching message of every room.
        return run(
          Prisma.sql`(SELECT * FROM "Message" WHERE "roomId" = ANY(${seen.ids}::uuid[]) ${cursor} OFFSET 0)`,
          tx,
        );
      }
      const recent = Prisma.sql`(SELECT * FROM "Message" WHERE true ${cursor}
        ORDER BY "createdAt" DESC, id DESC LIMIT ${RECENT_WINDOW})`;
      const first = await run(recent, tx);
      if (first.length > limit) return first;
      if (tsq) {
        // Rare word: make the planner read the GIN index (its walk-newest-first plan would scan everything).
        await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
        await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      }
      return run(
        Prisma.sql`(SELECT * FROM "Message" WHERE "roomId" = ANY(${seen.ids}::uuid[]) ${cursor})`,
        tx,
      );
    }),
  );
  const page = rows.slice(0, limit);
  const files = await filesOf(page.map((r) => r.id));
  const hits = page.map((r) => ({
    messageId: r.id,
    roomId: r.roomId,
    roomName: r.roomName,
    roomKind: (r.roomKind === "dm" ? "dm" : "channel") as "dm" | "channel",
    seq: r.seq,
    createdAt: new Date(r.createdAt).toISOString(),
    author: {
      id: r.authorId,
      username: r.username,
      displayName: r.displayName,
      deactivated: r.deactivated,
      ...(r.isBot ? { isBot: true } : {}),
    },
    highlighted: r.highlighted,
    files: files.get(r.id) ?? [],
  }));
  return { hits, hasMore: rows.length > limit };
}

/** The files of these messages, in their order, by message id. */
async function filesOf(messageIds: string[]): Promise<Map<string, FileView[]>> {
  const out = new Map<string, FileView[]>();
  if (messageIds.length === 0) return out;
  const rows = await db().file.findMany({
    where: { messageId: { in: messageIds }, state: "ready" },
    orderBy: { position: "asc" },
    select: { ...fileViewSelect, messageId: true },
  });
  for (const { messageId, ...f } of rows) {
    if (!messageId) continue;
    const list = out.get(messageId) ?? [];
    list.push(toFileView(f));
    out.set(messageId, list);
  }
  return out;
}

/** Messages that mention me, newest first, from rooms I still belong to. */
export async function listMentions(actor: Pick<SessionUser, "id">, input: { before?: string } = {}) {
  const rows = await db().mention.findMany({
    where: {
      userId: actor.id,
      message: { deletedAt: null, room: { memberships: { some: { userId: actor.id } } } },
      ...(input.before ? { createdAt: { lt: new Date(input.before) } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: 50,
    select: {
      createdAt: true,
      seq: true,
      roomId: true,
      message: {
        select: {
          id: true,
          body: true,
          author: {
            select: { id: true, username: true, displayName: true, deactivatedAt: true, isBot: true },
          },
          room: { select: { name: true, kind: true } },
        },
      },
    },
  });
  return rows.map((r) => ({
    messageId: r.message.id,
    roomId: r.roomId,
    roomName: r.message.room.name,
    roomKind: r.message.room.kind === "dm" ? "dm" : "channel",
    seq: r.seq,
    createdAt: r.createdAt.toISOString(),
    author: {
      id: r.message.author.id,
      username: r.message.author.username,
      displayName: r.message.author.displayName,
      deactivated: r.message.author.deactivatedAt !== null,
      ...(r.message.author.isBot ? { isBot: true } : {}),
    },
    body: r.message.body,
  }));
}

export const MARK_START = "\u0002";
export const MARK_END = "\u0003";
