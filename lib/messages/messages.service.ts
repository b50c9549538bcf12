// Messages: the send path (validate → authorize → persist with a gap-free per-room seq, idempotent
// by clientId), edits, deletes, reactions, keyset history reads and the change feed (docs/architecture.md).

import type { z } from "zod";
import { recordAudit } from "@/lib/audit/audit.service";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { avatarUrl, type FileView } from "@/lib/files/files.schema";
import {
  attachableFiles,
  claimMessageFiles,
  fileViewSelect,
  notAttachableError,
  purgeLater,
  toFileView,
} from "@/lib/files/files.service";
import { limits } from "@/lib/ratelimit/limits";
import { pinMessageSchema } from "@/lib/rooms/moderation.schema";
import {
  mayModerate,
  postingRefusal,
  requireRoomModerator,
  takeSlowModeTurn,
} from "@/lib/rooms/moderation.service";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { getRoomForViewer, requireMembership, roomNotFound } from "@/lib/rooms/rooms.service";
import type { SharedState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { insertMessage, type MessageKind } from "./insert-batch";
import { mentionedUsernames } from "./mentions";
import {
  type ChangesPage,
  type ChatMessage,
  deleteMessageSchema,
  editMessageSchema,
  listChangesSchema,
  listMessagesSchema,
  MAX_REACTIONS_PER_MESSAGE,
  type MessageAuthor,
  type MessageMeta,
  type MessagePage,
  messageMetaSchema,
  type ReactionSummary,
  type ReplyPreview,
  sendMessageSchema,
  setReactionSchema,
  toggleReactionSchema,
} from "./messages.schema";

type Actor = Pick<SessionUser, "id" | "username" | "displayName">;

const SNIPPET = 140;

/** What a message shows of its author (also used by search and member lists). */
export const authorSelect = {
  id: true,
  username: true,
  displayName: true,
  deactivatedAt: true,
  avatarKey: true,
  avatarVersion: true,
  isBot: true,
} as const satisfies Prisma.UserSelect;

export function toAuthor(u: Prisma.UserGetPayload<{ select: typeof authorSelect }>): MessageAuthor {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    deactivated: u.deactivatedAt !== null,
    avatarUrl: u.avatarKey ? avatarUrl(u.id, u.avatarVersion) : null,
    ...(u.isBot ? { isBot: true } : {}),
  };
}

export const messageSelect = {
  id: true,
  roomId: true,
  seq: true,
  clientId: true,
  body: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  deletedById: true,
  pinnedAt: true,
  rev: true,
  meta: true,
  kind: true,
  author: { select: authorSelect },
  replyTo: {
    select: { id: true, seq: true, body: true, deletedAt: true, author: { select: { displayName: true } } },
  },
  reactions: {
    select: { emoji: true, userId: true, user: { select: { displayName: true } } },
    orderBy: { createdAt: "asc" },
  },
  mentions: { select: { userId: true } },
  files: { where: { state: "ready" }, select: fileViewSelect, orderBy: { position: "asc" } },
} as const satisfies Prisma.MessageSelect;

/** A message as `messageSelect` reads it (derived, so the two cannot drift apart). */
export type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;

function replyPreview(r: NonNullable<MessageRow["replyTo"]>): ReplyPreview {
  const deleted = r.deletedAt !== null;
  return {
    id: r.id,
    seq: r.seq,
    authorName: r.author.displayName,
    snippet: deleted ? "" : r.body.slice(0, SNIPPET),
    deleted,
  };
}

function summarize(reactions: MessageRow["reactions"]): ReactionSummary[] {
  const by = new Map<string, ReactionSummary>();
  for (const r of reactions) {
    const s = by.get(r.emoji) ?? { emoji: r.emoji, count: 0, users: [] };
    s.count++;
    if (s.users.length < 20) s.users.push({ id: r.userId, displayName: r.user.displayName });
    by.set(r.emoji, s);
  }
  return [...by.values()];
}

export function toMessage(r: MessageRow): ChatMessage {
  const deleted = r.deletedAt !== null;
  return {
    id: r.id,
    roomId: r.roomId,
    seq: r.seq,
    clientId: r.clientId,
    body: deleted ? "" : r.body,
    createdAt: r.createdAt.toISOString(),
    editedAt: r.editedAt?.toISOString() ?? null,
    deleted,
    removedByModerator: deleted && r.deletedById !== null && r.deletedById !== r.author.id,
    pinned: !deleted && r.pinnedAt !== null,
    rev: r.rev,
    author: toAuthor(r.author),
    replyTo: r.replyTo ? replyPreview(r.replyTo) : null,
    reactions: deleted ? [] : summarize(r.reactions),
    mentions: deleted ? [] : r.mentions.map((m) => m.userId),
    files: deleted ? [] : r.files.map(toFileView),
    ...(r.meta !== null && !deleted ? { meta: toMeta(r.meta) } : {}),
    ...(r.kind === "action" ? { kind: "action" as const } : {}),
  };
}

/** A stored Message.meta as its wire shape (null if it does not parse: shown as a plain message). */
function toMeta(raw: unknown): MessageMeta | null {
  const parsed = messageMetaSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

async function loadMessage(id: string): Promise<ChatMessage> {
  const row = await db().message.findUnique({ where: { id }, select: messageSelect });
  if (!row) throw new AppError("not_found", "That message does not exist");
  return toMessage(row);
}

async function findByClientId(authorId: string, clientId: string): Promise<ChatMessage | null> {
  const row = await db().message.findUnique({
    where: { authorId_clientId: { authorId, clientId } },
    select: messageSelect,
  });
  return row ? toMessage(row) : null;
}

/** Members of the room named by @username (current or former) in `body` (not the author). */
async function resolveMentions(roomId: string, authorId: string, body: string): Promise<string[]> {
  const names = mentionedUsernames(body);
  if (names.length === 0) return [];
  const rows = await db().membership.findMany({
    // A former username (UsernameAlias) still names its owner.
    where: {
      roomId,
      user: { OR: [{ username: { in: names } }, { usernameAliases: { some: { username: { in: names } } } }] },
      NOT: { userId: authorId },
    },
    select: { userId: true },
  });
  return rows.map((r) => r.userId);
}

export interface SendResult {
  message: ChatMessage;
  /** False when this clientId was already stored: the retry gets the original. */
  created: boolean;
}

/**
 * Store a message. Retrying with the same clientId returns the stored message, never a duplicate.
 * The common case is one round trip (insert-batch.ts): membership and "not stored yet" are checked
 * inside the statement that takes the seq; only when it stores nothing do we ask why (a retry, not a
 * member, no room).
 */
export async function sendMessage(
  actor: Actor,
  input: unknown,
  opts: {
    /** Where slow-mode turns are kept (the socket server's shared state: all nodes agree). */
    state?: SharedState;
    /** How a webhook's message shows (lib/webhooks); never from a client's input. */
    meta?: MessageMeta;
    /** "action" for /me (lib/commands); never taken from the client's payload. */
    kind?: MessageKind;
  } = {},
): Promise<SendResult> {
  const data = parseOrThrow(sendMessageSchema, input);
  // A retry costs a point like any send, and is refused at the limit like any send: answering it
  // there would make re-sends of one stored clientId a free way around the budget. (Whether it is a
  // retry is only known once the insert stored nothing.) The client's outbox waits and retries.
  await limits().consume("message", `${actor.id}:${data.roomId}`);

  let replyTo: ReplyPreview | null = null;
  if (data.replyToId) {
    await requireMembership(actor, data.roomId); // before saying anything about the reply target
    const target = await db().message.findUnique({
      where: { id: data.replyToId },
      select: { ...messageSelect.replyTo.select, roomId: true },
    });
    if (!target || target.roomId !== data.roomId)
      throw new AppError("validation", "The message you are replying to is not in this room");
    if (target.deletedAt) throw new AppError("validation", "You cannot reply to a deleted message");
    replyTo = replyPreview(target);
  }
  const fileIds = data.fileIds ?? [];
  let files: FileView[] = [];
  if (fileIds.length > 0) {
    // The clear error for files that cannot be attached; a retry's files are attached already.
    const ok = await attachableFiles(actor.id, data.roomId, fileIds);
    if (!ok) return retryOrThrow(actor, data.roomId, data.clientId, notAttachableError);
    files = ok;
  }
  const mentions = await resolveMentions(data.roomId, actor.id, data.body);
  // Slow mode: the member's turn is taken before queueing (the statement stays one per batch).
  const giveTurnBack = await takeSlowModeTurn(actor.id, data.roomId, opts.state);
  const pending = {
    authorId: actor.id,
    clientId: data.clientId,
    body: data.body,
    replyToId: data.replyToId ?? null,
    mentions,
    fileIds,
    meta: opts.meta ? JSON.stringify(opts.meta) : null,
    kind: opts.kind ?? "text",
  };
  // Membership, "not stored yet", archived, read-only and the files are checked by the insert itself.
  let row = await insertMessage(data.roomId, pending);
  for (let attempt = 0; !row; attempt++) {
    // Nothing stored: a retry (or a concurrent one that won), not a member, the room is archived or
    // read-only, or gone. None of these used the slow-mode turn: it is given back.
    try {
      const stored = await findByClientId(actor.id, data.clientId);
      // The stored message is as it is now (edits, reactions, who reacted, the reply target's
      // edits): only a current member may see it, so an ex-member gets what any non-member gets.
      await requireMembership(actor, data.roomId);
      if (stored) {
        await giveTurnBack?.();
        return checkSameRoom(stored, data.roomId);
      }
      const refusal = await postingRefusal(actor.id, data.roomId);
      if (refusal) throw refusal;
      // A file sent in another message (or removed) since the check above.
      if (fileIds.length > 0 && !(await attachableFiles(actor.id, data.roomId, fileIds)))
        throw notAttachableError();
      // A batch refused whole because the room became read-only meanwhile (see insert-batch.ts), or
      // a send refused under a setting changed since: it may go in now. Once.
      if (attempt > 0) throw new AppError("not_found", "That room does not exist anymore");
    } catch (err) {
      await giveTurnBack?.();
      throw err;
    }
    row = await insertMessage(data.roomId, pending);
  }
  return {
    created: true,
    message: {
      id: row.id,
      roomId: data.roomId,
      seq: row.seq,
      clientId: data.clientId,
      body: data.body,
      createdAt: new Date(row.createdAt).toISOString(),
      editedAt: null,
      deleted: false,
      removedByModerator: false,
      pinned: false,
      rev: 0,
      // The sender is signed in, so active (deactivation ends every session and socket).
      author: {
        id: actor.id,
        username: actor.username,
        displayName: actor.displayName,
        deactivated: false,
        avatarUrl: row.avatarKey ? avatarUrl(actor.id, row.avatarVersion) : null,
        ...(row.isBot ? { isBot: true } : {}),
      },
      replyTo,
      reactions: [],
      mentions,
      files,
      ...(opts.meta ? { meta: opts.meta } : {}),
      ...(opts.kind === "action" ? { kind: "action" as const } : {}),
    },
  };
}

/**
 * Nothing was stored: a retry gets the stored message (with its files), as it is now. Only a current
 * member may see it, so an ex-member gets what any non-member gets. Otherwise `otherwise()`.
 */
async function retryOrThrow(
  actor: Actor,
  roomId: string,
  clientId: string,
  otherwise: () => AppError,
): Promise<SendResult> {
  const stored = await findByClientId(actor.id, clientId);
  await requireMembership(actor, roomId);
  if (stored) return checkSameRoom(stored, roomId);
  throw otherwise();
}

function checkSameRoom(stored: ChatMessage, roomId: string): SendResult {
  if (stored.roomId !== roomId) {
    throw new AppError("conflict", "This clientId was already used for a message in another room");
  }
  return { message: stored, created: false };
}

/** Bump the room's change counter inside a transaction; returns the new rev. */
async function bumpRev(
  tx: Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0],
  roomId: string,
) {
  const rows = await tx.$queryRaw<{ rev: number }[]>`
    UPDATE "Room" SET rev = rev + 1 WHERE id = ${roomId}::uuid RETURNING rev`;
  return rows[0]?.rev ?? 0;
}

async function messageInRoom(roomId: string, messageId: string) {
  const m = await db().message.findUnique({
    where: { id: messageId },
    select: { id: true, roomId: true, seq: true, authorId: true, deletedAt: true },
  });
  if (!m || m.roomId !== roomId) throw new AppError("not_found", "That message does not exist");
  return m;
}

export async function editMessage(actor: Actor, input: unknown): Promise<ChatMessage> {
  const data = parseOrThrow(editMessageSchema, input);
  await requireMembership(actor, data.roomId);
  const m = await messageInRoom(data.roomId, data.messageId);
  if (m.authorId !== actor.id) throw new AppError("forbidden", "You can only edit your own messages");
  if (m.deletedAt) throw new AppError("conflict", "That message was deleted");
  const mentions = await resolveMentions(data.roomId, actor.id, data.body);
  await db().$transaction(async (tx) => {
    const rev = await bumpRev(tx, data.roomId);
    await tx.message.update({ where: { id: m.id }, data: { body: data.body, editedAt: new Date(), rev } });
    await tx.mention.deleteMany({ where: { messageId: m.id } });
    if (mentions.length > 0) {
      await tx.mention.createMany({
        data: mentions.map((userId) => ({ messageId: m.id, userId, roomId: data.roomId, seq: m.seq })),
      });
    }
  });
  return loadMessage(m.id);
}

/**
 * Authors delete their own messages; a channel's moderators (its owner and room moderators, and
 * workspace moderators and above) may delete anyone's, which stays as "removed by a moderator"
 * (deletedById) and is audited. A deleted message leaves the pinned list.
 */
export async function deleteMessage(actor: Actor, input: unknown): Promise<ChatMessage> {
  const data = parseOrThrow(deleteMessageSchema, input);
  const room = await getRoomForViewer(actor, data.roomId);
  const m = await messageInRoom(room.id, data.messageId);
  const own = m.authorId === actor.id;
  if (!own && (room.kind !== "channel" || !(await mayModerate(actor.id, room.id))))
    throw new AppError("forbidden", "You can only delete your own messages");
  if (m.deletedAt) return loadMessage(m.id);
  const fileIds = await db().$transaction(async (tx) => {
    const rev = await bumpRev(tx, room.id);
    await tx.message.update({
      where: { id: m.id },
      data: {
        body: "",
        fileNames: "",
        deletedAt: new Date(),
        deletedById: own ? null : actor.id,
        pinnedAt: null,
        pinnedById: null,
        rev,
      },
    });
    await tx.reaction.deleteMany({ where: { messageId: m.id } });
    await tx.mention.deleteMany({ where: { messageId: m.id } });
    if (!own)
      await recordAudit(
        {
          actor: { id: actor.id, username: actor.username },
          action: "message.delete",
          targetType: "message",
          targetId: m.id,
          targetLabel: `#${room.name} message ${m.seq}`,
          detail: { roomId: room.id, seq: m.seq, authorId: m.authorId },
        },
        tx,
      );
    // Its files stop being served with this commit; their bytes go right after (or in the sweep).
    return claimMessageFiles(tx, m.id);
  });
  await purgeLater(fileIds);
  return loadMessage(m.id);
}

/**
 * Pin or unpin a message (moderators only, as in Rocket.Chat: the pinned list is the room's notice
 * board). Bumps the room's rev like any message change, so message:changes carries it.
 */
export async function pinMessage(actor: Actor, input: unknown): Promise<ChatMessage> {
  const data = parseOrThrow(pinMessageSchema, input);
  const { actor: me, room } = await requireRoomModerator(actor, data.roomId);
  const m = await messageInRoom(room.id, data.messageId);
  if (m.deletedAt) throw new AppError("conflict", "That message was deleted");
  const current = await db().message.findUniqueOrThrow({ where: { id: m.id }, select: { pinnedAt: true } });
  if ((current.pinnedAt !== null) === data.pinned) return loadMessage(m.id);
  await db().$transaction(async (tx) => {
    const rev = await bumpRev(tx, room.id);
    await tx.message.update({
      where: { id: m.id },
      data: data.pinned
        ? { pinnedAt: new Date(), pinnedById: me.id, rev }
        : { pinnedAt: null, pinnedById: null, rev },
    });
    await recordAudit(
      {
        actor: { id: me.id, username: me.username },
        action: data.pinned ? "message.pin" : "message.unpin",
        targetType: "message",
        targetId: m.id,
        targetLabel: `#${room.name} message ${m.seq}`,
        detail: { roomId: room.id, seq: m.seq },
      },
      tx,
    );
  });
  return loadMessage(m.id);
}

/** MAX_PINNED most recently pinned messages of a room anyone who can see it may read. */
export const MAX_PINNED = 100;
export async function listPinned(actor: Pick<SessionUser, "id">, roomId: unknown): Promise<ChatMessage[]> {
  const room = await getRoomForViewer(actor, roomId);
  const rows = await db().message.findMany({
    where: { roomId: room.id, pinnedAt: { not: null }, deletedAt: null },
    orderBy: { pinnedAt: "desc" },
    take: MAX_PINNED,
    select: messageSelect,
  });
  return rows.map(toMessage);
}

/** Add my reaction with this emoji, or remove it if I had it. */
export async function toggleReaction(actor: Actor, input: unknown): Promise<ChatMessage> {
  return (await react(actor, parseOrThrow(toggleReactionSchema, input), "toggle")).message;
}

/**
 * Make my reaction with this emoji be there (`on: true`) or not (REST: PUT / DELETE a reaction).
 * Idempotent: when it already is as asked nothing changes (no rev bump) and `changed` is false.
 */
export async function setReaction(
  actor: Actor,
  input: unknown,
): Promise<{ message: ChatMessage; changed: boolean }> {
  const { on, ...data } = parseOrThrow(setReactionSchema, input);
  return react(actor, data, on ? "add" : "remove");
}

async function react(
  actor: Actor,
  data: z.output<typeof toggleReactionSchema>,
  mode: "toggle" | "add" | "remove",
): Promise<{ message: ChatMessage; changed: boolean }> {
  await requireMembership(actor, data.roomId);
  const m = await messageInRoom(data.roomId, data.messageId);
  if (m.deletedAt) throw new AppError("conflict", "That message was deleted");
  const changed = await db().$transaction(async (tx) => {
    const key = { messageId_userId_emoji: { messageId: m.id, userId: actor.id, emoji: data.emoji } };
    const had = await tx.reaction.findUnique({ where: key, select: { emoji: true } });
    if (had ? mode === "add" : mode === "remove") return false;
    if (had) {
      await tx.reaction.delete({ where: key });
    } else {
      const kinds = await tx.reaction.findMany({
        where: { messageId: m.id },
        distinct: ["emoji"],
        select: { emoji: true },
      });
      if (kinds.length >= MAX_REACTIONS_PER_MESSAGE && !kinds.some((k) => k.emoji === data.emoji)) {
        throw new AppError("validation", "This message has as many different reactions as it can take");
      }
      // A double click racing itself: the other toggle added it already, which is what was asked.
      await tx.$executeRaw`INSERT INTO "Reaction" ("messageId", "userId", "emoji")
        VALUES (${m.id}::uuid, ${actor.id}::uuid, ${data.emoji}) ON CONFLICT DO NOTHING`;
    }
    const rev = await bumpRev(tx, data.roomId);
    await tx.message.update({ where: { id: m.id }, data: { rev } });
    return true;
  });
  return { message: await loadMessage(m.id), changed };
}

/** A page of history in ascending seq order, read by keyset on (roomId, seq). */
export async function listMessages(actor: Pick<SessionUser, "id">, input: unknown): Promise<MessagePage> {
  // A malformed room id names no room: 404 like every other room route, not a 400 field error.
  const roomId =
    typeof input === "object" && input !== null ? (input as { roomId?: unknown }).roomId : undefined;
  if (typeof roomId === "string" && !roomIdSchema.safeParse(roomId).success) throw roomNotFound();
  const q = parseOrThrow(listMessagesSchema, input);
  const room = await getRoomForViewer(actor, q.roomId);
  const take = q.limit + 1;
  const find = (where: object, order: "asc" | "desc", n: number) =>
    db().message.findMany({
      where: { roomId: room.id, ...where },
      orderBy: { seq: order },
      take: n,
      select: messageSelect,
    });
  if (q.around !== undefined) {
    const olderCount = Math.ceil(q.limit / 2);
    const newerCount = q.limit - olderCount;
    const [older, newer] = await Promise.all([
      find({ seq: { lte: q.around } }, "desc", olderCount + 1),
      find({ seq: { gt: q.around } }, "asc", newerCount + 1),
    ]);
    return {
      messages: [...older.slice(0, olderCount).reverse(), ...newer.slice(0, newerCount)].map(toMessage),
      hasMore: older.length > olderCount,
      hasNewer: newer.length > newerCount,
    };
  }
  if (q.after !== undefined) {
    const rows = await find({ seq: { gt: q.after } }, "asc", take);
    return { messages: rows.slice(0, q.limit).map(toMessage), hasMore: rows.length > q.limit };
  }
  const rows = await find(q.before !== undefined ? { seq: { lt: q.before } } : {}, "desc", take);
  return { messages: rows.slice(0, q.limit).reverse().map(toMessage), hasMore: rows.length > q.limit };
}

/**
 * Messages in [fromSeq, toSeq] changed (edited, deleted, reacted to) after `sinceRev`, at most `limit`
 * in rev order. Each change bumps the room's rev and stamps it on one message, so a message's rev is
 * unique in its room and the last rev returned is an exact cursor for the next page.
 */
export async function listChanges(actor: Pick<SessionUser, "id">, input: unknown): Promise<ChangesPage> {
  const q = parseOrThrow(listChangesSchema, input);
  const room = await getRoomForViewer(actor, q.roomId);
  const rows = await db().message.findMany({
    where: { roomId: room.id, rev: { gt: q.sinceRev }, seq: { gte: q.fromSeq, lte: q.toSeq } },
    orderBy: { rev: "asc" },
    take: q.limit + 1,
    select: messageSelect,
  });
  const hasMore = rows.length > q.limit;
  const messages = rows.slice(0, q.limit).map(toMessage);
  const last = messages.at(-1)?.rev ?? 0;
  // Rows read after the room may carry a rev above room.rev: never report less than what was sent.
  return { messages, rev: hasMore ? last : Math.max(room.rev, last), hasMore };
}
