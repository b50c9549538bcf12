// Full-text search over every room and DM the actor may see (public channels and rooms they belong
// to): PostgreSQL tsvector/GIN, prefix match on the last word, newest first, ts_headline highlights.
import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { parseOrThrow } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";
import { parseQuery, type SearchHit, searchSchema } from "./search.schema";

/** How many of the newest messages the first, cheap pass walks before falling back to the index. */
const RECENT_WINDOW = 20_000;

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
  highlighted: string;
};

/**
 * Two passes, because the planner cannot know how rare a word is (a lexeme missing from its
 * statistics looks like 0.5% of rows): first walk the newest RECENT_WINDOW messages, which finds a
 * page of a common word in a few ms; if that does not fill the page, read every match from the GIN
 * index (cheap precisely because the word is rare there) and sort those.
 */
export async function searchMessages(
  actor: Pick<SessionUser, "id">,
  input: unknown,
): Promise<{ hits: SearchHit[]; hasMore: boolean }> {
  const { q, limit, before } = parseOrThrow(searchSchema, input);
  const parsed = parseQuery(q);
  if (parsed.words.length === 0 && !parsed.room && !parsed.from) return { hits: [], hasMore: false };
  const tsq = parsed.words.length > 0 ? toTsQuery(parsed.words) : null;
  const cursor = before
    ? Prisma.sql`AND ("createdAt", id) < (SELECT c."createdAt", c.id FROM "Message" c
        WHERE c.id = ${before}::uuid AND c."roomId" IN (SELECT id FROM visible))`
    : Prisma.empty;

  const run = (source: Prisma.Sql, tx: Prisma.TransactionClient) =>
    tx.$queryRaw<Row[]>`
      WITH visible AS (
        SELECT r.id, r.name, r.kind FROM "Room" r
        WHERE r."isPrivate" = false
           OR EXISTS (SELECT 1 FROM "Membership" m WHERE m."roomId" = r.id AND m."userId" = ${actor.id}::uuid)
      ), hits AS (
        SELECT msg.id, msg."roomId", v.name AS "roomName", v.kind AS "roomKind", msg.seq, msg."createdAt",
               msg.body, u.id AS "authorId", u.username, u."displayName"
        FROM ${source} msg
        JOIN visible v ON v.id = msg."roomId"
        JOIN "User" u ON u.id = msg."authorId"
        WHERE msg."deletedAt" IS NULL
          AND (${tsq}::text IS NULL OR msg.search_vector @@ to_tsquery('english', ${tsq}::text))
          AND (${parsed.room ?? null}::text IS NULL OR (v.kind = 'channel' AND lower(v.name) = ${parsed.room ?? null}::text))
          AND (${parsed.from ?? null}::text IS NULL OR u.username = ${parsed.from ?? null}::text)
        ORDER BY msg."createdAt" DESC, msg.id DESC
        LIMIT ${limit + 1}
      )
      SELECT h.id, h."roomId", h."roomName", h."roomKind", h.seq, h."createdAt", h."authorId", h.username,
             h."displayName",
             CASE WHEN ${tsq}::text IS NULL THEN left(h.body, 300)
                  ELSE ts_headline('english', h.body, to_tsquery('english', ${tsq}::text),
                         'StartSel=' || chr(2) || ',StopSel=' || chr(3) || ',MaxWords=40,MinWords=15,HighlightAll=false')
             END AS highlighted
      FROM hits h ORDER BY h."createdAt" DESC, h.id DESC`;

  const rows = await db().$transaction(async (tx) => {
    const recent = Prisma.sql`(SELECT * FROM "Message" WHERE true ${cursor}
      ORDER BY "createdAt" DESC, id DESC LIMIT ${RECENT_WINDOW})`;
    const first = await run(recent, tx);
    if (first.length > limit) return first;
    if (tsq) {
      // Rare word: make the planner read the GIN index (its walk-newest-first plan would scan everything).
      await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
    }
    return run(Prisma.sql`(SELECT * FROM "Message" WHERE true ${cursor})`, tx);
  });
  const hits = rows.slice(0, limit).map((r) => ({
    messageId: r.id,
    roomId: r.roomId,
    roomName: r.roomName,
    roomKind: (r.roomKind === "dm" ? "dm" : "channel") as "dm" | "channel",
    seq: r.seq,
    createdAt: new Date(r.createdAt).toISOString(),
    author: { id: r.authorId, username: r.username, displayName: r.displayName },
    highlighted: r.highlighted,
  }));
  return { hits, hasMore: rows.length > limit };
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
          author: { select: { id: true, username: true, displayName: true } },
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
    author: r.message.author,
    body: r.message.body,
  }));
}

export const MARK_START = "\u0002";
export const MARK_END = "\u0003";
