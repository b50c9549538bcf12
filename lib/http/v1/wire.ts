// The REST API v1's wire shapes as zod schemas: the OpenAPI document's response schemas are generated
// from these (lib/http/v1/openapi.ts), and the TypeScript interfaces the services return must equal
// them exactly (the compile-time checks at the bottom), so a field added to ChatMessage or RoomView
// without its schema fails `tsc`, and a schema that drifts from what a route sends fails the tests.

import { z } from "zod";
import { messageMetaSchema } from "@/lib/messages/messages.schema";
import { ROLES } from "@/lib/workspace/roles";

/** Schemas with an id become components (`#/components/schemas/<id>`) in the document. */
export const wireRegistry = z.registry<{ id: string; description?: string }>();

function named<T extends z.ZodType>(schema: T, id: string, description: string): T {
  wireRegistry.add(schema, { id, description });
  return schema;
}

const uuid = z.string().describe("A UUID");
const isoTime = z.string().describe("An ISO 8601 time (UTC)");
const int = z.number().int();

export const errorSchema = named(
  z.strictObject({
    error: z.strictObject({
      code: z.enum([
        "bad_request",
        "validation",
        "unauthorized",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "conflict",
        "rate_limited",
        "payload_too_large",
        "unavailable",
        "internal",
      ]),
      message: z.string().describe("A readable sentence for a person"),
      fields: z
        .record(z.string(), z.array(z.string()))
        .optional()
        .describe("validation: the problems per field (dotted path)"),
      retryAfterMs: int.optional().describe("rate_limited: when to try again"),
    }),
  }),
  "Error",
  "Every error, with the HTTP status of its code",
);

export const fileViewSchema = named(
  z.strictObject({
    id: uuid,
    name: z.string().describe("Display name (sanitized)"),
    size: int.describe("Bytes of the original"),
    type: z.string().describe("Content type sniffed from the bytes"),
    kind: z.enum(["image", "file"]).describe("image: has ?size=thumb|preview variants"),
    width: int.nullable(),
    height: int.nullable(),
  }),
  "File",
  "A stored file",
);

export const messageAuthorSchema = named(
  z.strictObject({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    avatarUrl: z.string().nullable().optional().describe("Their picture, null when none"),
    isBot: z.boolean().optional().describe("Present (true) only for bot accounts"),
    deactivated: z.boolean(),
  }),
  "MessageAuthor",
  "What a message shows of its author",
);

export const reactionSummarySchema = named(
  z.strictObject({
    emoji: z.string(),
    count: int,
    users: z.array(z.strictObject({ id: uuid, displayName: z.string() })).describe("The first 20"),
  }),
  "Reaction",
  "One emoji's reactions on a message",
);

export const replyPreviewSchema = named(
  z.strictObject({
    id: uuid,
    seq: int,
    authorName: z.string(),
    snippet: z.string(),
    deleted: z.boolean(),
  }),
  "ReplyPreview",
  "The message a reply answers",
);

export const chatMessageSchema = named(
  z.strictObject({
    id: uuid,
    roomId: uuid,
    seq: int.describe("Per room, gap-free and increasing"),
    clientId: uuid.describe("The sender's idempotency key"),
    body: z.string().describe("Markdown text; empty when deleted"),
    createdAt: isoTime,
    editedAt: isoTime.nullable(),
    deleted: z.boolean(),
    removedByModerator: z.boolean(),
    pinned: z.boolean(),
    rev: int.describe("The room's change counter at this message's last change"),
    author: messageAuthorSchema,
    replyTo: replyPreviewSchema.nullable(),
    reactions: z.array(reactionSummarySchema),
    mentions: z.array(uuid).describe("Ids of mentioned users"),
    files: z.array(fileViewSchema),
    kind: z
      .literal("action")
      .optional()
      .describe('"action" for a /me message (shown as "*name* waves"); absent otherwise'),
    meta: messageMetaSchema
      .nullish()
      .describe('Posted by a webhook: the hook (shown as "via"), Slack name/icon overrides and cards'),
  }),
  "Message",
  "A stored message",
);

export const messagePageSchema = named(
  z.strictObject({
    messages: z.array(chatMessageSchema).describe("Ascending seq"),
    hasMore: z
      .boolean()
      .describe("Older messages exist before this page (with `after`: newer ones after it)"),
    hasNewer: z.boolean().optional(),
  }),
  "MessagePage",
  "A page of history, by seq",
);

const roomSummaryShape = {
  id: uuid,
  kind: z.enum(["channel", "dm"]),
  name: z.string().describe("Channel name, or a DM's other participants"),
  topic: z.string(),
  isPrivate: z.boolean(),
  ownerId: z.string(),
  lastSeq: int,
  rev: int,
  memberCount: int,
  description: z.string(),
  readOnly: z.boolean().describe("Announcement room: only moderators post"),
  archived: z.boolean(),
  slowModeSeconds: int,
};

export const roomSummarySchema = named(z.strictObject(roomSummaryShape), "RoomSummary", "A room");

export const roomViewSchema = named(
  z.strictObject({
    ...roomSummaryShape,
    isMember: z.boolean(),
    isOwner: z.boolean(),
    myRole: z.string().nullable().describe("owner, moderator or member; null when not a member"),
    lastReadSeq: int,
    muted: z.boolean(),
  }),
  "Room",
  "A room as the caller sees it",
);

export const memberViewSchema = named(
  z.strictObject({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    role: z.string().describe("The room role: owner, moderator or member"),
    avatarUrl: z.string().nullable().optional(),
    isBot: z.boolean().optional().describe("Present (true) only for bot accounts"),
  }),
  "Member",
  "A room member",
);

export const presenceSchema = z.enum(["online", "away", "offline"]);

export const userLookupSchema = named(
  z.strictObject({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    timeZone: z.string(),
    statusText: z.string(),
    statusEmoji: z.string(),
    presence: presenceSchema
      .nullable()
      .describe("null when you share no room with them (presence is only shown to room mates)"),
  }),
  "User",
  "A person's card",
);

export const meSchema = named(
  z.strictObject({
    id: uuid,
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES).describe("The workspace role"),
    twoFactorSetupRequired: z.boolean().optional(),
  }),
  "Me",
  "The caller",
);

// Compile-time agreement between these schemas and the services' TypeScript types: each line fails
// to compile when the two differ in any field (name, optionality, type).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Agree<A, B> = Equal<A, B> extends true ? true : { drift: [A, B] };
type Out<T extends z.ZodType> = z.output<T>;
export const wireAgreement: {
  file: Agree<Out<typeof fileViewSchema>, import("@/lib/files/files.schema").FileView>;
  author: Agree<Out<typeof messageAuthorSchema>, import("@/lib/messages/messages.schema").MessageAuthor>;
  message: Agree<Out<typeof chatMessageSchema>, import("@/lib/messages/messages.schema").ChatMessage>;
  page: Agree<Out<typeof messagePageSchema>, import("@/lib/messages/messages.schema").MessagePage>;
  summary: Agree<Out<typeof roomSummarySchema>, import("@/lib/rooms/rooms.schema").RoomSummary>;
  room: Agree<Out<typeof roomViewSchema>, import("@/lib/rooms/rooms.schema").RoomView>;
  member: Agree<Out<typeof memberViewSchema>, import("@/lib/rooms/rooms.schema").MemberView>;
  user: Agree<Omit<Out<typeof userLookupSchema>, "presence">, import("@/lib/users/profile.schema").Profile>;
  me: Agree<Out<typeof meSchema>, import("@/lib/users/users.schema").SessionUser>;
} = {
  file: true,
  author: true,
  message: true,
  page: true,
  summary: true,
  room: true,
  member: true,
  user: true,
  me: true,
};
