// Validation and wire shapes for messages; the composer reuses messageBodySchema.
import { z } from "zod";
import { type FileView, fileIdsSchema } from "@/lib/files/files.schema";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";

export const MAX_MESSAGE_LENGTH = 4000;
export const PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
export const MAX_REACTIONS_PER_MESSAGE = 50;

/** Message text, possibly empty (a message with files needs no text). */
const messageTextSchema = z
  .string({ error: "Message must be text" })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .max(
        MAX_MESSAGE_LENGTH,
        `Message is too long (max ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters)`,
      )
      .refine((s) => !s.includes("\u0000"), "Message contains an invalid character"),
  );

export const messageBodySchema = messageTextSchema.pipe(z.string().min(1, "Message cannot be empty"));

const messageIdSchema = z.uuid({ error: "Not a valid message id" });

export const sendMessageSchema = z
  .strictObject({
    roomId: roomIdSchema,
    clientId: z.uuid({ error: "clientId must be a UUID" }),
    /** May be empty when files are attached. */
    body: messageTextSchema.default(""),
    replyToId: messageIdSchema.optional(),
    /** Files uploaded by the sender for this room and not attached yet (POST /api/files). */
    fileIds: fileIdsSchema.optional(),
  })
  .refine((m) => m.body.length > 0 || (m.fileIds?.length ?? 0) > 0, {
    message: "Message cannot be empty",
    path: ["body"],
  });
export type SendMessageInput = z.input<typeof sendMessageSchema>;

export const editMessageSchema = z.strictObject({
  roomId: roomIdSchema,
  messageId: messageIdSchema,
  body: messageBodySchema,
});
export type EditMessageInput = z.input<typeof editMessageSchema>;

export const deleteMessageSchema = z.strictObject({ roomId: roomIdSchema, messageId: messageIdSchema });
export type DeleteMessageInput = z.input<typeof deleteMessageSchema>;

/** One emoji (a single grapheme that is pictographic), e.g. "👍", "❤️", "👍🏽", "🇫🇷". */
export const emojiSchema = z
  .string({ error: "emoji must be text" })
  .min(1, "Pick an emoji")
  .max(32, "That is not a single emoji")
  .refine((s) => {
    const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)];
    return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u.test(s);
  }, "That is not a single emoji");

export const toggleReactionSchema = z.strictObject({
  roomId: roomIdSchema,
  messageId: messageIdSchema,
  emoji: emojiSchema,
});
export type ToggleReactionInput = z.input<typeof toggleReactionSchema>;

/** REST: PUT (on) or DELETE (off) my reaction with this emoji. */
export const setReactionSchema = toggleReactionSchema.extend({ on: z.boolean() });

const seqParam = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(2_147_483_647, "is too large");

/** How many rows one page may ask for: 1 to `max`, `fallback` when not given. */
const pageLimit = (max: number, fallback: number) =>
  z.coerce
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(max, `must be at most ${max}`)
    .default(fallback);

export const listMessagesSchema = z
  .strictObject({
    roomId: roomIdSchema,
    before: seqParam.optional(),
    after: seqParam.optional(),
    /** A window centred on this seq (for permalinks, replies and "open at first unread"). */
    around: seqParam.optional(),
    limit: pageLimit(MAX_PAGE_SIZE, PAGE_SIZE),
  })
  .refine((q) => [q.before, q.after, q.around].filter((v) => v !== undefined).length <= 1, {
    message: "use only one of before, after and around",
    path: ["before"],
  });
export type ListMessagesInput = z.input<typeof listMessagesSchema>;

/** Most changes one message:changes answer carries; `hasMore` says when to ask again. */
export const MAX_CHANGES_PAGE = 1000;

export const listChangesSchema = z.strictObject({
  roomId: roomIdSchema,
  sinceRev: seqParam,
  fromSeq: seqParam,
  toSeq: seqParam,
  limit: pageLimit(MAX_CHANGES_PAGE, MAX_CHANGES_PAGE),
});
export type ListChangesInput = z.input<typeof listChangesSchema>;

export interface MessageAuthor {
  id: string;
  username: string;
  displayName: string;
  /** Their profile picture (GET /api/users/:id/avatar), null when they have none. */
  avatarUrl?: string | null;
  /** The account was deactivated by an admin (its messages stay; the UI shows "(deactivated)"). */
  deactivated: boolean;
  /** Present (true) for a bot account (lib/bots): the UI shows a BOT badge. Absent for people. */
  isBot?: boolean;
}

export interface ReactionSummary {
  emoji: string;
  count: number;
  /** Who reacted (first 20), for "who reacted" on hover/focus */
  users: { id: string; displayName: string }[];
}

export interface ReplyPreview {
  id: string;
  seq: number;
  authorName: string;
  snippet: string;
  deleted: boolean;
}

/** A stored message as every client receives it. */
/** One Slack-style attachment, shown as a card under the message (webhooks). */
export const messageCardSchema = z.object({
  color: z.string().max(32).optional(),
  pretext: z.string().max(4000).optional(),
  title: z.string().max(500).optional(),
  titleLink: z.string().max(2000).optional(),
  text: z.string().max(4000).optional(),
  fields: z
    .array(z.object({ title: z.string().max(500), value: z.string().max(2000), short: z.boolean() }))
    .max(20)
    .default([]),
  footer: z.string().max(500).optional(),
  fallback: z.string().max(4000).optional(),
});
export type MessageCard = z.output<typeof messageCardSchema>;

/** How a webhook's message shows (Message.meta): the hook ("via"), Slack overrides, cards. */
export const messageMetaSchema = z.object({
  /** The hook's name: shown as "via <name>" with a BOT badge */
  via: z.string().max(100),
  /** Slack `username`: shown instead of the bot's name for this message */
  username: z.string().max(100).optional(),
  /** Slack `icon_emoji`, resolved to its emoji: shown as the avatar */
  icon: z.string().max(32).optional(),
  cards: z.array(messageCardSchema).max(20).default([]),
});
export type MessageMeta = z.output<typeof messageMetaSchema>;

export interface ChatMessage {
  id: string;
  roomId: string;
  seq: number;
  clientId: string;
  /** Empty when deleted */
  body: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  /** Deleted by a room moderator, not its author: shown as "removed by a moderator" */
  removedByModerator: boolean;
  /** Pinned to the room's pinned list (by a moderator) */
  pinned: boolean;
  /** Room change counter at this message's last edit/delete/reaction/pin; a higher rev replaces a lower one */
  rev: number;
  author: MessageAuthor;
  replyTo: ReplyPreview | null;
  reactions: ReactionSummary[];
  /** Ids of mentioned users */
  mentions: string[];
  /** Attached files in the order they were sent (empty when deleted) */
  files: FileView[];
  /** Posted by a webhook: how it shows (absent or null for ordinary messages and when deleted) */
  meta?: MessageMeta | null;
  /** "action": a /me message, shown as "*author* body" in italics. Absent for ordinary messages. */
  kind?: "action";
}

export interface MessagePage {
  messages: ChatMessage[];
  /** True when older messages exist before this page (for `after`: newer ones after it). */
  hasMore: boolean;
  /** For `around`: newer messages exist after the window. */
  hasNewer?: boolean;
}

export interface ChangesPage {
  /** Ascending rev. */
  messages: ChatMessage[];
  /**
   * Pass as the next `sinceRev`: the room's current rev when `hasMore` is false, else the rev of the
   * last message returned. A client that ignores `hasMore` skips nothing for good (its next sync
   * resumes at `rev`), but until that sync it lacks the changes after `rev`: its view stays stale.
   */
  rev: number;
  /** More changes after `rev` than fit in this answer: ask again with `sinceRev: rev`. */
  hasMore: boolean;
}
