// Messages: the send path (validate → authorize → persist with a gap-free per-room seq, idempotent
// by clientId) and keyset-paginated history reads (ARCHITECTURE §2).
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { getRoomForViewer, requireMembership } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { type ChatMessage, listMessagesSchema, type MessagePage, sendMessageSchema } from "./messages.schema";

type Actor = Pick<SessionUser, "id" | "username" | "displayName">;

const messageSelect = {
  id: true,
  roomId: true,
  seq: true,
  clientId: true,
  body: true,
  createdAt: true,
  author: { select: { id: true, username: true, displayName: true } },
} as const;

type Row = {
  id: string;
  roomId: string;
  seq: number;
  clientId: string;
  body: string;
  createdAt: Date;
  author: { id: string; username: string; displayName: string };
};

function toMessage(r: Row): ChatMessage {
  return { ...r, createdAt: r.createdAt.toISOString() };
}

async function findByClientId(authorId: string, clientId: string): Promise<ChatMessage | null> {
  const row = await db().message.findUnique({
    where: { authorId_clientId: { authorId, clientId } },
    select: messageSelect,
  });
  return row ? toMessage(row) : null;
}

export interface SendResult {
  message: ChatMessage;
  /** False when this clientId was already stored: the retry gets the original and nothing is re-broadcast. */
  created: boolean;
}

/** Store a message. Retrying with the same clientId returns the stored message, never a duplicate. */
export async function sendMessage(actor: Actor, input: unknown): Promise<SendResult> {
  const data = parseOrThrow(sendMessageSchema, input);
  await requireMembership(actor, data.roomId);
  const existing = await findByClientId(actor.id, data.clientId);
  if (existing) return checkSameRoom(existing, data.roomId);
  try {
    // One statement, so one transaction: the room's counter and the insert commit (or roll back) together,
    // which keeps seq gap-free; the row lock on Room orders concurrent sends in the same room.
    const rows = await db().$queryRaw<{ id: string; seq: number; createdAt: Date }[]>`
      WITH r AS (
        UPDATE "Room" SET "lastSeq" = "lastSeq" + 1, "lastMessageAt" = now()
        WHERE id = ${data.roomId}::uuid RETURNING "lastSeq"
      )
      INSERT INTO "Message" ("roomId", "seq", "authorId", "clientId", "body")
      SELECT ${data.roomId}::uuid, r."lastSeq", ${actor.id}::uuid, ${data.clientId}::uuid, ${data.body} FROM r
      RETURNING id, seq, "createdAt"`;
    const row = rows[0];
    if (!row) throw new AppError("not_found", "That room does not exist anymore");
    return {
      created: true,
      message: {
        id: row.id,
        roomId: data.roomId,
        seq: row.seq,
        clientId: data.clientId,
        body: data.body,
        createdAt: new Date(row.createdAt).toISOString(),
        author: { id: actor.id, username: actor.username, displayName: actor.displayName },
      },
    };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // A concurrent retry of the same send won the race; hand back what it stored.
    const stored = await findByClientId(actor.id, data.clientId);
    if (!stored) throw err;
    return checkSameRoom(stored, data.roomId);
  }
}

function checkSameRoom(stored: ChatMessage, roomId: string): SendResult {
  if (stored.roomId !== roomId) {
    throw new AppError("conflict", "This clientId was already used for a message in another room");
  }
  return { message: stored, created: false };
}

/** A page of history in ascending seq order, read by keyset on (roomId, seq). */
export async function listMessages(actor: Pick<SessionUser, "id">, input: unknown): Promise<MessagePage> {
  const q = parseOrThrow(listMessagesSchema, input);
  const room = await getRoomForViewer(actor, q.roomId);
  const take = q.limit + 1;
  if (q.after !== undefined) {
    const rows = await db().message.findMany({
      where: { roomId: room.id, seq: { gt: q.after } },
      orderBy: { seq: "asc" },
      take,
      select: messageSelect,
    });
    return { messages: rows.slice(0, q.limit).map(toMessage), hasMore: rows.length > q.limit };
  }
  const rows = await db().message.findMany({
    where: { roomId: room.id, ...(q.before !== undefined ? { seq: { lt: q.before } } : {}) },
    orderBy: { seq: "desc" },
    take,
    select: messageSelect,
  });
  return { messages: rows.slice(0, q.limit).reverse().map(toMessage), hasMore: rows.length > q.limit };
}
