// The REST API v1 (/api/v1): every operation declared once, here. Its method and path, what the
// reference shows (summary, tag, parameters, request and response schemas), and the handler that
// calls the domain services. The route files under app/api/v1 take their handlers from this table
// (lib/http/v1/route.ts), and the OpenAPI document is generated from it (lib/http/v1/openapi.ts), so
// the three cannot disagree: tests/api-v1.test.ts walks the route files and checks the document.
import { z } from "zod";
import { AppError, parseOrThrow } from "@/lib/errors";
import { fileVariantSchema } from "@/lib/files/files.schema";
import { downloadResponse, uploadFromRequest } from "@/lib/http/file-transfer";
import { readJson } from "@/lib/http/route";
import {
  editMessageSchema,
  listMessagesSchema,
  MAX_MESSAGE_LENGTH,
  sendMessageSchema,
} from "@/lib/messages/messages.schema";
import {
  deleteMessage,
  editMessage,
  listMessages,
  sendMessage,
  setReaction,
} from "@/lib/messages/messages.service";
import { metrics } from "@/lib/ops/metrics";
import { presenceOf } from "@/lib/presence/presence";
import type { RequestKind } from "@/lib/ratelimit/limits";
import { grantRoomAccess, messageToRoom, revokeRoomAccess } from "@/lib/realtime/server/registry";
import { createRoomSchema } from "@/lib/rooms/rooms.schema";
import {
  createRoom,
  getRoomForViewer,
  joinRoom,
  leaveRoom,
  listMembers,
  listMyRooms,
  roomMatesOf,
} from "@/lib/rooms/rooms.service";
import { sharedState } from "@/lib/state/shared-state";
import { getUserCard } from "@/lib/users/profile.service";
import type { SessionUser } from "@/lib/users/users.schema";
import type { ApiMethod } from "../route";
import {
  chatMessageSchema,
  fileViewSchema,
  memberViewSchema,
  meSchema,
  messagePageSchema,
  roomSummarySchema,
  roomViewSchema,
  userLookupSchema,
} from "./wire";

export const V1_PREFIX = "/api/v1";

export type Tag = "Rooms" | "Messages" | "Files" | "Users";
export const TAGS: { name: Tag; description: string }[] = [
  { name: "Rooms", description: "Channels and DMs you belong to or can join" },
  {
    name: "Messages",
    description: "History by seq, sending with an idempotent clientId, edits, deletes, reactions",
  },
  { name: "Files", description: "Uploading files to attach to messages, and downloading them" },
  { name: "Users", description: "Yourself, and looking people up" },
];

/** A JSON answer: a status and a body that matches that status's response schema. */
interface ResponseSpec {
  description: string;
  /** The JSON body's schema; absent for a binary answer (a download). */
  schema?: z.ZodType;
  /** For a binary answer: its content types in the document. */
  binary?: string;
}

type Reply<R extends Record<number, ResponseSpec>> = {
  [K in keyof R]: R[K] extends { schema: infer S extends z.ZodType }
    ? { status: K; body: z.output<S> }
    : { status: K; response: Response };
}[keyof R];

export interface OperationContext<P extends string> {
  req: Request;
  user: SessionUser;
  /** Path parameters as sent (services validate them: a malformed room id is a 404 like any hidden room). */
  params: Record<P, string>;
  /** The query, parsed with the operation's `query` schema ({} without one). */
  query: Record<string, unknown>;
  /** The JSON body, parsed with the operation's `body` schema (undefined without one). */
  body: unknown;
}

/** Any operation's answer: JSON with a status, or a ready Response (a download). */
export type AnyReply = { status: number; body: unknown } | { status: number; response: Response };

interface OperationSpec<P extends string, R extends Record<number, ResponseSpec>> {
  operationId: string;
  method: ApiMethod;
  /** Under /api/v1, with OpenAPI's `{name}` parameters. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** Path parameters: each documented with its schema and description. */
  params?: Record<P, { schema: z.ZodType; description: string; example?: string }>;
  /** Query parameters (a strict object: an unknown parameter is a 400). */
  query?: z.ZodObject;
  /** A JSON body (a strict object: an unknown field is a 400). */
  body?: z.ZodType;
  /** A multipart body instead: its fields, in the order they must be sent. */
  multipart?: { schema: z.ZodObject; binaryFields: string[] };
  /** An example request body (the reference page's curl example). */
  example?: unknown;
  /** Success answers by status; every operation also documents the error answers (openapi.ts). */
  responses: R;
  /** Error statuses this operation can give besides 400/401/403/404/429. */
  moreErrors?: number[];
}

/** An operation of the table (its handler's answer type erased). */
export type Operation = OperationSpec<string, Record<number, ResponseSpec>> & {
  run(ctx: OperationContext<string>): Promise<AnyReply>;
};

/** Declare an operation: the generics tie each handler's answers to its response schemas. */
function op<P extends string, R extends Record<number, ResponseSpec>>(
  o: OperationSpec<P, R> & { run(ctx: OperationContext<P>): Promise<Reply<NoInfer<R>>> },
): Operation {
  return o as unknown as Operation;
}

/** The LIMITS row of an operation ("GET /api/v1/rooms/:roomId"): its rate budget and its token scope. */
export function limitKey(o: Pick<Operation, "method" | "path">): RequestKind {
  return `${o.method} ${V1_PREFIX}${o.path.replace(/\{(\w+)\}/g, ":$1")}` as RequestKind;
}

const roomParam = {
  roomId: { schema: z.uuid(), description: "The room's id", example: "0b7c2f5e-4a8b-4c1d-9e2f-3a4b5c6d7e8f" },
};
const messageParams = {
  ...roomParam,
  messageId: {
    schema: z.uuid(),
    description: "The message's id",
    example: "5d1e6f7a-8b9c-4d0e-8f1a-2b3c4d5e6f7a",
  },
};

const s = sendMessageSchema.shape;
/** POST …/messages: the socket's message:send payload without roomId (it is in the path). */
const sendBodySchema = z
  .strictObject({ clientId: s.clientId, body: s.body, replyToId: s.replyToId, fileIds: s.fileIds })
  .describe(
    `clientId: a UUID you make once per message and reuse on every retry (a retry returns the stored message with 200 instead of 201). body: Markdown, at most ${MAX_MESSAGE_LENGTH} characters; may be empty when fileIds are given.`,
  );
const editBodySchema = z.strictObject({ body: editMessageSchema.shape.body });
const q = listMessagesSchema.shape;
const historyQuerySchema = z.strictObject({
  before: q.before.describe("Messages with a seq below this (older), newest page first"),
  after: q.after.describe("Messages with a seq above this (newer): catching up"),
  around: q.around.describe("A window centred on this seq"),
  limit: q.limit.describe("Page size"),
});
const downloadQuerySchema = z.strictObject({
  size: fileVariantSchema.optional().describe("thumb or preview: a resized image (images only)"),
  download: z.enum(["1"]).optional().describe("1: always as an attachment"),
});
const uploadSchema = z.strictObject({
  roomId: z.uuid().describe("The room the file is for (send this field before the file)"),
  file: z.string().describe("The file's bytes"),
});

const messageReply = z.strictObject({ message: chatMessageSchema });
const roomReply = z.strictObject({ room: roomViewSchema });

/** Presence is shown only to people who share a room (docs/architecture.md, presence visibility). */
async function visiblePresence(actor: SessionUser, userId: string) {
  if (userId !== actor.id && (await roomMatesOf(actor.id, [userId])).length === 0) return null;
  const state = sharedState();
  if (!state) return "offline" as const;
  return (await presenceOf(state, [userId]))[userId] ?? "offline";
}

/** A path segment as sent: an emoji may arrive percent-encoded (ids and usernames never hold a %). */
function segment(v: string): string {
  if (!v.includes("%")) return v;
  try {
    return decodeURIComponent(v);
  } catch {
    throw new AppError("bad_request", "The address is not valid percent-encoding");
  }
}

function reaction(on: boolean) {
  return op({
    operationId: on ? "addReaction" : "removeReaction",
    method: on ? "PUT" : "DELETE",
    path: "/rooms/{roomId}/messages/{messageId}/reactions/{emoji}",
    tag: "Messages",
    summary: on ? "Add your reaction" : "Remove your reaction",
    description: on
      ? "Idempotent: when you already reacted with this emoji nothing changes. The room sees the change live."
      : "Idempotent: when you had not reacted with this emoji nothing changes. The room sees the change live.",
    params: {
      ...messageParams,
      emoji: { schema: z.string(), description: "One emoji, percent-encoded in the URL", example: "👍" },
    },
    responses: { 200: { description: "The message with its reactions now", schema: messageReply } },
    moreErrors: [409],
    async run({ user, params }) {
      const { message, changed } = await setReaction(user, {
        roomId: params.roomId,
        messageId: params.messageId,
        emoji: segment(params.emoji),
        on,
      });
      if (changed) messageToRoom("updated", message);
      return { status: 200, body: { message } };
    },
  });
}

export const OPERATIONS: readonly Operation[] = [
  // Rooms
  op({
    operationId: "listRooms",
    method: "GET",
    path: "/rooms",
    tag: "Rooms",
    summary: "List your rooms",
    description: "The channels and DMs you are a member of.",
    responses: {
      200: { description: "Your rooms", schema: z.strictObject({ rooms: z.array(roomSummarySchema) }) },
    },
    async run({ user }) {
      return { status: 200, body: { rooms: await listMyRooms(user) } };
    },
  }),
  op({
    operationId: "createRoom",
    method: "POST",
    path: "/rooms",
    tag: "Rooms",
    summary: "Create a channel",
    description: "You become its owner and first member.",
    body: createRoomSchema,
    example: { name: "release-notes", topic: "What shipped", isPrivate: false },
    responses: { 201: { description: "The new room", schema: roomReply } },
    moreErrors: [409],
    async run({ user, body }) {
      const room = await createRoom(user, body);
      grantRoomAccess([user.id], room.id);
      return { status: 201, body: { room } };
    },
  }),
  op({
    operationId: "getRoom",
    method: "GET",
    path: "/rooms/{roomId}",
    tag: "Rooms",
    summary: "Get a room",
    description: "A private room or DM you are not in is a 404, like a room that does not exist.",
    params: roomParam,
    responses: { 200: { description: "The room as you see it", schema: roomReply } },
    async run({ user, params }) {
      return { status: 200, body: { room: await getRoomForViewer(user, params.roomId) } };
    },
  }),
  op({
    operationId: "joinRoom",
    method: "POST",
    path: "/rooms/{roomId}/join",
    tag: "Rooms",
    summary: "Join a public channel",
    params: roomParam,
    responses: { 200: { description: "The room, now with you in it", schema: roomReply } },
    async run({ user, params }) {
      const room = await joinRoom(user, params.roomId);
      grantRoomAccess([user.id], room.id);
      return { status: 200, body: { room } };
    },
  }),
  op({
    operationId: "leaveRoom",
    method: "POST",
    path: "/rooms/{roomId}/leave",
    tag: "Rooms",
    summary: "Leave a room",
    params: roomParam,
    responses: { 200: { description: "You left", schema: z.strictObject({ ok: z.literal(true) }) } },
    moreErrors: [409],
    async run({ user, params }) {
      const room = await leaveRoom(user, params.roomId);
      revokeRoomAccess(user.id, room.id);
      return { status: 200, body: { ok: true as const } };
    },
  }),
  op({
    operationId: "listMembers",
    method: "GET",
    path: "/rooms/{roomId}/members",
    tag: "Rooms",
    summary: "List a room's members",
    params: roomParam,
    responses: {
      200: {
        description: "Who is in the room",
        schema: z.strictObject({ members: z.array(memberViewSchema) }),
      },
    },
    async run({ user, params }) {
      return { status: 200, body: { members: await listMembers(user, params.roomId) } };
    },
  }),

  // Messages
  op({
    operationId: "listMessages",
    method: "GET",
    path: "/rooms/{roomId}/messages",
    tag: "Messages",
    summary: "Read history",
    description:
      "Keyset pages by seq, ascending within a page. Without a cursor: the latest page. Use one of before, after and around.",
    params: roomParam,
    query: historyQuerySchema,
    responses: { 200: { description: "A page of messages", schema: messagePageSchema } },
    async run({ user, params, query }) {
      return { status: 200, body: await listMessages(user, { ...query, roomId: params.roomId }) };
    },
  }),
  op({
    operationId: "sendMessage",
    method: "POST",
    path: "/rooms/{roomId}/messages",
    tag: "Messages",
    summary: "Send a message",
    description:
      "Stored through the same path as the app's own sends and shown live to everyone in the room. Retrying with the same clientId never makes a duplicate: the stored message comes back with 200 (201 when it was created by this request).",
    params: roomParam,
    body: sendBodySchema,
    example: { clientId: "3f0c9a57-2f7e-4c7e-9d65-6c1f3b1e2a90", body: "Deploy finished :tada:" },
    responses: {
      201: { description: "Stored by this request", schema: messageReply },
      200: { description: "A retry: the message this clientId stored earlier", schema: messageReply },
    },
    moreErrors: [409],
    async run({ user, params, body }) {
      const { message, created } = await sendMessage(user, { ...(body as object), roomId: params.roomId });
      if (!created) return { status: 200, body: { message } };
      metrics().messages.inc();
      messageToRoom("new", message);
      return { status: 201, body: { message } };
    },
  }),
  op({
    operationId: "editMessage",
    method: "PATCH",
    path: "/rooms/{roomId}/messages/{messageId}",
    tag: "Messages",
    summary: "Edit your message",
    params: messageParams,
    body: editBodySchema,
    example: { body: "Deploy finished (v2.3.1)" },
    responses: { 200: { description: "The edited message", schema: messageReply } },
    moreErrors: [409],
    async run({ user, params, body }) {
      const message = await editMessage(user, {
        ...(body as object),
        roomId: params.roomId,
        messageId: params.messageId,
      });
      messageToRoom("updated", message);
      return { status: 200, body: { message } };
    },
  }),
  op({
    operationId: "deleteMessage",
    method: "DELETE",
    path: "/rooms/{roomId}/messages/{messageId}",
    tag: "Messages",
    summary: "Delete a message",
    description:
      "Your own, or anyone's in a channel you moderate. It stays as a placeholder (deleted: true, empty body).",
    params: messageParams,
    responses: { 200: { description: "The placeholder", schema: messageReply } },
    async run({ user, params }) {
      const message = await deleteMessage(user, { roomId: params.roomId, messageId: params.messageId });
      messageToRoom("deleted", message);
      return { status: 200, body: { message } };
    },
  }),
  reaction(true),
  reaction(false),

  // Files
  op({
    operationId: "uploadFile",
    method: "POST",
    path: "/files",
    tag: "Files",
    summary: "Upload a file",
    description:
      "multipart/form-data with the field roomId first, then the field file. The answer's id goes in a message's fileIds. Images are re-encoded without their metadata.",
    multipart: { schema: uploadSchema, binaryFields: ["file"] },
    responses: { 201: { description: "The stored file", schema: z.strictObject({ file: fileViewSchema }) } },
    moreErrors: [413],
    async run({ req, user }) {
      return { status: 201, body: { file: await uploadFromRequest(req, user) } };
    },
  }),
  op({
    operationId: "downloadFile",
    method: "GET",
    path: "/files/{fileId}",
    tag: "Files",
    summary: "Download a file",
    description:
      "Only while you can read the room it was sent in. Supports ETag/If-None-Match (304) and Range (206).",
    params: {
      fileId: {
        schema: z.uuid(),
        description: "The file's id",
        example: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
      },
    },
    query: downloadQuerySchema,
    responses: { 200: { description: "The file's bytes", binary: "application/octet-stream" } },
    async run({ req, user, params }) {
      return { status: 200, response: await downloadResponse(req, user, params.fileId) };
    },
  }),

  // Users
  op({
    operationId: "getMe",
    method: "GET",
    path: "/users/me",
    tag: "Users",
    summary: "Who you are",
    description: "The account the token or session belongs to.",
    responses: { 200: { description: "You", schema: z.strictObject({ user: meSchema }) } },
    async run({ user }) {
      return { status: 200, body: { user } };
    },
  }),
  op({
    operationId: "getUser",
    method: "GET",
    path: "/users/{username}",
    tag: "Users",
    summary: "Look someone up",
    description:
      "By current or former username. Guests find only people they share a room with. Presence is shown only to people who share a room.",
    params: { username: { schema: z.string(), description: "A username", example: "ada" } },
    responses: { 200: { description: "Their card", schema: z.strictObject({ user: userLookupSchema }) } },
    async run({ user, params }) {
      const card = await getUserCard(user, params.username);
      return { status: 200, body: { user: { ...card, presence: await visiblePresence(user, card.id) } } };
    },
  }),
];

/** The operations of one path, by method. */
export function operationsAt(path: string): Map<ApiMethod, Operation> {
  return new Map(OPERATIONS.filter((o) => o.path === path).map((o) => [o.method, o]));
}

/** Parse the query (when declared), the JSON body (when declared) and run. */
export async function prepareContext(
  o: Operation,
  req: Request,
  user: SessionUser,
  params: Record<string, string>,
): Promise<OperationContext<string>> {
  const search = new URL(req.url).searchParams;
  const raw = Object.fromEntries(search); // own properties only
  const query = o.query ? parseOrThrow(o.query, raw) : {};
  const body = o.body ? parseOrThrow(o.body, await readJson(req)) : undefined;
  return { req, user, params, query, body };
}
