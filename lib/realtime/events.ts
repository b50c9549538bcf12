// The Socket.IO protocol: every event Beacon's server and clients exchange, typed in one place.
// Documented for third-party clients in docs/protocol.md.
import type { CommandInfo, CommandOutcome, RunCommandInput } from "@/lib/commands/commands.schema";
import type { DraftView } from "@/lib/drafts/drafts.schema";
import type { ErrorBody } from "@/lib/errors";
import type {
  ChangesPage,
  ChatMessage,
  DeleteMessageInput,
  EditMessageInput,
  ListChangesInput,
  ListMessagesInput,
  MessagePage,
  SendMessageInput,
  ToggleReactionInput,
} from "@/lib/messages/messages.schema";
import type { PresenceStatus } from "@/lib/presence/presence";
import type { PinMessageInput, RemovalReason, RoomUpdate } from "@/lib/rooms/moderation.schema";
import type { RoomView } from "@/lib/rooms/rooms.schema";
import type { SessionUser } from "@/lib/users/users.schema";
import type { Role } from "@/lib/workspace/roles";

/** Every acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (response: Ack<T>) => void;

/** Every event a client may send (with an ack), and what it sends and gets back for each. */
export type EventName = keyof ClientToServerEvents;
export type PayloadOf<E extends EventName> = Parameters<ClientToServerEvents[E]>[0];
/** The `data` of a successful ack of `E`. */
export type DataOf<E extends EventName> =
  Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends Ack<infer T> ? T : never;

export interface RoomJoinResult {
  room: RoomView;
  /** Highest seq stored in the room when the channel was joined; fetch `after` your last seq to catch up. */
  lastSeq: number;
}

export interface ClientToServerEvents {
  /** Subscribe this socket to a room's live events (public room, or member of a private one). */
  "room:join": (payload: { roomId: string }, ack: AckFn<RoomJoinResult>) => void;
  /** Unsubscribe this socket from a room's live events (membership is unchanged). */
  "room:leave": (payload: { roomId: string }, ack: AckFn<null>) => void;
  /** Store and broadcast a message. Idempotent by (sender, clientId): a retry returns the stored message. */
  "message:send": (payload: SendMessageInput, ack: AckFn<ChatMessage>) => void;
  /** Read history by seq (keyset): `before` for older pages, `after` to catch up, neither for the latest. */
  "message:list": (payload: ListMessagesInput, ack: AckFn<MessagePage>) => void;
  /** Edit my message. Everyone in the room gets message:updated. */
  "message:edit": (payload: EditMessageInput, ack: AckFn<ChatMessage>) => void;
  /** Delete my message (a channel's moderators: anyone's). Everyone gets message:deleted; a placeholder stays. */
  "message:delete": (payload: DeleteMessageInput, ack: AckFn<ChatMessage>) => void;
  /** Pin or unpin a message (room moderators). Everyone gets message:updated with `pinned`. */
  "message:pin": (payload: PinMessageInput, ack: AckFn<ChatMessage>) => void;
  /** Add or remove my reaction. Everyone gets message:updated with the new counts. */
  "reaction:toggle": (payload: ToggleReactionInput, ack: AckFn<ChatMessage>) => void;
  /** Messages with seq in [fromSeq, toSeq] changed after `sinceRev` (catch-up for edits, deletes, reactions). */
  "message:changes": (payload: ListChangesInput, ack: AckFn<ChangesPage>) => void;
  /** I have read up to `seq`. My other tabs get room:read. */
  "room:read": (
    payload: { roomId: string; seq: number },
    ack: AckFn<{ roomId: string; lastReadSeq: number }>,
  ) => void;
  /** Mute or unmute a room for me (no notifications, not counted in the title). */
  "room:mute": (
    payload: { roomId: string; muted: boolean },
    ack: AckFn<{ roomId: string; muted: boolean }>,
  ) => void;
  /** This tab is in use ("active") or hidden / untouched for 5 minutes ("idle"). */
  "presence:set": (payload: { state: "active" | "idle" }, ack: AckFn<{ status: PresenceStatus }>) => void;
  /** Presence of every member of a room you can see. */
  "presence:list": (payload: { roomId: string }, ack: AckFn<Record<string, PresenceStatus>>) => void;
  /** I am typing in a room (members only). At most one broadcast per user and room every 2 s. */
  "typing:start": (payload: { roomId: string }, ack: AckFn<{ broadcast: boolean }>) => void;
  /** I stopped typing (cleared the composer, or sent). */
  "typing:stop": (payload: { roomId: string }, ack: AckFn<null>) => void;
  /**
   * Run a slash command typed in a room ("/topic Release day"). Built-ins: /me, /topic, /invite,
   * /leave, /mute; custom commands are answered by a bot. A stored message (/me, a bot's visible
   * answer) is also broadcast as message:new to the whole room, sender included.
   */
  "command:run": (payload: RunCommandInput, ack: AckFn<CommandOutcome>) => void;
  /** The commands one may run in a room (built-ins and the custom ones whose bot is in it). */
  "command:list": (payload: { roomId: string }, ack: AckFn<CommandInfo[]>) => void;
  /**
   * Save my unsent text in a room (members only; at most 4,000 characters); an empty or blank body
   * clears it. Every socket of mine, this one included, gets draft:updated.
   */
  "draft:save": (payload: { roomId: string; body: string }, ack: AckFn<DraftView>) => void;
  /** My draft in a room (members only; `body: ""` when none): a reconnected tab asks, as it missed updates. */
  "draft:get": (payload: { roomId: string }, ack: AckFn<DraftView>) => void;
}

export interface RoomRemoved {
  roomId: string;
  reason?: RemovalReason;
  message?: string;
}

export interface TypingUpdate {
  roomId: string;
  user: { id: string; username: string; displayName: string };
  typing: boolean;
}

export interface ServerToClientEvents {
  /** A message was stored in a room this socket joined. Deduplicate by (roomId, seq). */
  "message:new": (message: ChatMessage) => void;
  /** Several messages stored together in one room (a busy room), in seq order: each is a message:new. */
  "message:batch": (messages: ChatMessage[]) => void;
  /**
   * This user lost access to a room (left a private room, or was removed, banned, or the room was
   * deleted); its channel was left. `reason` and `message` (a sentence to show) when a moderator did it.
   */
  "room:removed": (payload: RoomRemoved) => void;
  /**
   * A room's settings changed (name, topic, description, announcement, archived, slow mode). Sent to
   * the room's channel; `myRole` only in the copy sent to a member whose room role changed.
   */
  "room:updated": (payload: RoomUpdate) => void;
  /**
   * The room's membership changed (someone joined, left, was added or removed): a hint to the room's
   * channel, with no names, so open headers fetch the room's member count again.
   */
  "room:members": (payload: { roomId: string }) => void;
  /** I was added to a room or DM (or joined/created one in another tab); its channel was joined. */
  "room:added": (payload: { roomId: string }) => void;
  /** A message was edited or its reactions changed. Replace yours if this `rev` is higher. */
  "message:updated": (message: ChatMessage) => void;
  /** A message was deleted (it stays as a placeholder with `deleted: true`). */
  "message:deleted": (message: ChatMessage) => void;
  /** My read marker moved (in this or another tab). */
  "room:read": (payload: { roomId: string; lastReadSeq: number }) => void;
  /** I muted or unmuted a room (in this or another tab). */
  "room:muted": (payload: { roomId: string; muted: boolean }) => void;
  /** A member of one of your rooms (or you) changed status. */
  "presence:update": (payload: PresenceUpdate) => void;
  /** Several members changed status within a moment (e.g. many people coming online at once). */
  "presence:batch": (payload: PresenceUpdate[]) => void;
  /** Someone started or stopped typing in a room this socket joined. Expire a "typing" after 5 s. */
  "typing:update": (payload: TypingUpdate) => void;
  /** The server is about to close this socket, and why (sent just before it disconnects it). */
  "socket:closing": (payload: SocketClosing) => void;
  /** An admin changed my workspace role: server-rendered controls are stale (the tab refreshes them). */
  "account:updated": (payload: { role: Role }) => void;
  /** My draft in a room was saved or cleared (on this or another device); `body` is "" when cleared. */
  "draft:updated": (draft: DraftView) => void;
}

/**
 * Why the server closed a socket on purpose (other than a node shutting down):
 * - `signed_out`: its session was signed out (here, on another tab, or "sign out everywhere"). Check
 *   the session before reconnecting: a new sign-in may have replaced it.
 * - `too_many_sockets`: the user opened more sockets than allowed and this was the oldest. Do not
 *   reconnect by yourself (the tabs would close each other forever); let the person choose.
 * - `deactivated`: an admin deactivated the account; every session has ended. Go to
 *   `/signin?reason=deactivated`, do not reconnect.
 * - `token_revoked`: the API token the socket was opened with (`auth: { token }`) was revoked. Do not
 *   reconnect with it: the handshake refuses it (`unauthorized`).
 */
export type SocketCloseReason = "signed_out" | "too_many_sockets" | "deactivated" | "token_revoked";

export interface SocketClosing {
  reason: SocketCloseReason;
  /** A sentence for the person using the client. */
  message: string;
}

export interface PresenceUpdate {
  userId: string;
  status: PresenceStatus;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: SessionUser;
  /**
   * The session (JWT `sid`) the handshake was authenticated with: a sign-out closes its sockets. For
   * an API token (`auth: { token }`) it is `tok_<tokenId>`, so revoking the token closes them.
   */
  sid: string;
  /** Set when the socket was opened with an API token: its scopes (lib/tokens). */
  tokenScopes?: ("read" | "write" | "admin")[];
  /** When it connected (ms since epoch, fractional): the oldest goes first when a user has too many. */
  connectedAt: number;
  /** This socket's presence state (active tab or idle). */
  presence: "active" | "idle";
}

export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
/** Every socket of one session (one signed-in browser): what a sign-out closes. */
export const sessionChannel = (sid: string) => `sid:${sid}`;
