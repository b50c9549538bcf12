// Reaches the running Socket.IO server from route handlers in the Next bundle (a separate module
// instance from server.ts, so the server lives on globalThis). Imports only types from socket.io.
import type { Server } from "socket.io";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketCloseReason,
  SocketData,
} from "@/lib/realtime/events";
import { roomChannel, sessionChannel, userChannel } from "@/lib/realtime/events";
import type { RemovalReason, RoomUpdate } from "@/lib/rooms/moderation.schema";
import { removalNotice } from "@/lib/rooms/moderation.schema";

export type BeaconServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const g = globalThis as unknown as { __beaconIo?: BeaconServer };

export function setRealtime(io: BeaconServer | undefined): void {
  g.__beaconIo = io;
}

/** The running Socket.IO server, if this process has one. */
export function realtime(): BeaconServer | undefined {
  return g.__beaconIo;
}

/**
 * After users gain access to a room, put their sockets in its channel and tell their tabs; the room's
 * channel gets room:members (its member count changed).
 */
export function grantRoomAccess(userIds: string[], roomId: string): void {
  const io = realtime();
  if (!io || userIds.length === 0) return;
  const channels = userIds.map(userChannel);
  io.in(channels).socketsJoin(roomChannel(roomId));
  io.to(channels).emit("room:added", { roomId });
  io.to(roomChannel(roomId)).emit("room:members", { roomId });
}

/**
 * After a user leaves a room (or a moderator removed or banned them, or deleted the room), take every
 * socket of theirs out of its channel, on every node, and tell their tabs (with why, when it was not
 * their own doing).
 */
export function revokeRoomAccess(
  userId: string,
  roomId: string,
  why?: { reason: RemovalReason; roomName: string },
): void {
  const io = realtime();
  if (!io) return;
  io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
  io.to(roomChannel(roomId)).emit("room:members", { roomId });
  io.to(userChannel(userId)).emit(
    "room:removed",
    why ? { roomId, reason: why.reason, message: removalNotice(why.reason, why.roomName) } : { roomId },
  );
}

/** A room's settings changed: every socket in its channel, on every node, gets room:updated. */
export function roomUpdated(update: RoomUpdate): void {
  realtime()?.to(roomChannel(update.roomId)).emit("room:updated", update);
}

/**
 * A message stored or changed outside a socket handler (REST API v1, incoming webhooks, slash
 * commands): the whole room channel gets it on every node, including the author's own sockets
 * (they did not send it from a socket, so no ack told them). Call only after the commit.
 */
export function messageToRoom(kind: "new" | "updated" | "deleted", message: ChatMessage): void {
  const to = realtime()?.to(roomChannel(message.roomId));
  if (!to) return;
  if (kind === "new") to.emit("message:new", message);
  else if (kind === "updated") to.emit("message:updated", message);
  else to.emit("message:deleted", message);
}

/** One member's role in a room changed: their tabs get room:updated with `myRole`. */
export function roomRoleChanged(userId: string, update: RoomUpdate & { myRole: string }): void {
  realtime()?.to(userChannel(userId)).emit("room:updated", update);
}

const CLOSE_MESSAGES: Record<SocketCloseReason, string> = {
  signed_out: "You were signed out.",
  too_many_sockets:
    "Disconnected: you have too many Beacon tabs or devices connected, and this one was the oldest.",
  deactivated: "Your account was deactivated by an admin.",
  token_revoked: "The API token this connection was opened with was revoked.",
};

/**
 * Close every socket in `channel` (a socket id, a session or a user channel), on every node (with
 * the Redis adapter both steps reach the other nodes, in order), after telling each client why.
 */
export function closeSockets(io: BeaconServer, channel: string, reason: SocketCloseReason): void {
  io.to(channel).emit("socket:closing", { reason, message: CLOSE_MESSAGES[reason] });
  io.in(channel).disconnectSockets(true);
}

/**
 * After a sign-out: close the sockets of that session, on every node. After an API token was revoked
 * (`sid` = tokenSid(id), reason `token_revoked`): close the sockets opened with it.
 */
export function endSessionSockets(sid: string, reason: SocketCloseReason = "signed_out"): void {
  const io = realtime();
  if (io) closeSockets(io, sessionChannel(sid), reason);
}

/** After "sign out everywhere" (or a deactivation): close every socket of the user, on every node. */
export function endUserSockets(userId: string, reason: SocketCloseReason = "signed_out"): void {
  const io = realtime();
  if (io) closeSockets(io, userChannel(userId), reason);
}

/**
 * How many sockets (open tabs and devices) each of these users has connected right now, on every
 * node (fetchSockets asks the other nodes through the adapter). Null when this process has no
 * Socket.IO server or a node does not answer in time.
 */
export async function connectedSocketCounts(userIds: string[]): Promise<Map<string, number> | null> {
  const io = realtime();
  if (!io) return null;
  const counts = new Map<string, number>(userIds.map((id) => [id, 0]));
  if (userIds.length === 0) return counts;
  try {
    const sockets = await io.in(userIds.map(userChannel)).fetchSockets();
    for (const s of sockets) {
      const id = s.data.user?.id;
      if (id && counts.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  } catch {
    return null;
  }
}
