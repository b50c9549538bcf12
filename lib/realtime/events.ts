// The Socket.IO protocol: every event Beacon's server and clients exchange, typed in one place.
// Documented for third-party clients in docs/protocol.md.
import type { ErrorBody } from "@/lib/errors";
import type {
  ChatMessage,
  ListMessagesInput,
  MessagePage,
  SendMessageInput,
} from "@/lib/messages/messages.schema";
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
}

export interface ServerToClientEvents {
  /** A message was stored in a room this socket joined. Deduplicate by (roomId, seq). */
  "message:new": (message: ChatMessage) => void;
  /** This user lost access to a room (left a private room, or was removed); its channel was left. */
  "room:removed": (payload: { roomId: string }) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: SessionUser;
}

export const roomChannel = (roomId: string) => `room:${roomId}`;
export const userChannel = (userId: string) => `user:${userId}`;
