// The Socket.IO protocol: every event Beacon's server and clients exchange, typed in one place.
// Documented for third-party clients in docs/protocol.md.
import type { ErrorBody } from "@/lib/errors";
import type {
  ChatMessage,
  ListMessagesInput,
  MessagePage,
  SendMessageInput,
} from "@/lib/messages/messages.schema";
import type { PresenceStatus } from "@/lib/presence/presence";
import type { RoomView } from "@/lib/rooms/rooms.schema";
import type { SessionUser } from "@/lib/users/users.schema";

/** Every acknowledgement has this shape. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckFn<T> = (response: Ack<T>) => void;

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
  /** This tab is in use ("active") or hidden / untouched for 5 minutes ("idle"). */
  "presence:set": (payload: { state: "active" | "idle" }, ack: AckFn<{ status: PresenceStatus }>) => void;
  /** Presence of every member of a room you can see. */
  "presence:list": (payload: { roomId: string }, ack: AckFn<Record<string, PresenceStatus>>) => void;
  /** I am typing in a room (members only). At most one broadcast per user and room every 2 s. */
  "typing:start": (payload: { roomId: string }, ack: AckFn<{ broadcast: boolean }>) => void;
  /** I stopped typing (cleared the composer, or sent). */
  "typing:stop": (payload: { roomId: string }, ack: AckFn<null>) => void;
}

export interface TypingUpdate {
  roomId: string;
  user: { id: string; username: string; displayName: string };
  typing: boolean;
}

export interface ServerToClientEvents {
  /** A message was stored in a room this socket joined. Deduplicate by (roomId, seq). */
  "message:new": (message: ChatMessage) => void;
  /** This user lost access to a room (left a private room, or was removed); its channel was left. */
  "room:removed": (payload: { roomId: string }) => void;
  /** A member of one of your rooms (or you) changed status. */
  "presence:update": (payload: { userId: string; status: PresenceStatus }) => void;
  /** Someone started or stopped typing in a room this socket joined. Expire a "typing" after 5 s. */
  "typing:update": (payload: TypingUpdate) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: SessionUser;
  /** This socket's presence state (active tab or idle). */
  presence: "active" | "idle";
}

export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
