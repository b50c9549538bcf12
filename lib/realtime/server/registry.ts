// Reaches the running Socket.IO server from route handlers in the Next bundle (a separate module
// instance from server.ts, so the server lives on globalThis). Imports only types from socket.io.
import type { Server } from "socket.io";
import type {
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketCloseReason,
  SocketData,
} from "@/lib/realtime/events";
import { roomChannel, sessionChannel, userChannel } from "@/lib/realtime/events";

export type BeaconServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

const g = globalThis as unknown as { __beaconIo?: BeaconServer };

export function setRealtime(io: BeaconServer | undefined): void {
  g.__beaconIo = io;
}

/** The running Socket.IO server, if this process has one. */
export function realtime(): BeaconServer | undefined {
  return g.__beaconIo;
}

/** After users gain access to a room, put their sockets in its channel and tell their tabs. */
export function grantRoomAccess(userIds: string[], roomId: string): void {
  const io = realtime();
  if (!io || userIds.length === 0) return;
  const channels = userIds.map(userChannel);
  io.in(channels).socketsJoin(roomChannel(roomId));
  io.to(channels).emit("room:added", { roomId });
}

/** After a user leaves a room, take every socket of theirs out of its channel and tell their tabs. */
export function revokeRoomAccess(userId: string, roomId: string): void {
  const io = realtime();
  if (!io) return;
  io.in(userChannel(userId)).socketsLeave(roomChannel(roomId));
  io.to(userChannel(userId)).emit("room:removed", { roomId });
}

const CLOSE_MESSAGES: Record<SocketCloseReason, string> = {
  signed_out: "You were signed out.",
  too_many_sockets:
    "Disconnected: you have too many Beacon tabs or devices connected, and this one was the oldest.",
  deactivated: "Your account was deactivated by an admin.",
};

/**
 * Close every socket in `channel` (a socket id, a session or a user channel), on every node (with
 * the Redis adapter both steps reach the other nodes, in order), after telling each client why.
 */
export function closeSockets(io: BeaconServer, channel: string, reason: SocketCloseReason): void {
  io.to(channel).emit("socket:closing", { reason, message: CLOSE_MESSAGES[reason] });
  io.in(channel).disconnectSockets(true);
}

/** After a sign-out: close the sockets of that session, on every node. */
export function endSessionSockets(sid: string): void {
  const io = realtime();
  if (io) closeSockets(io, sessionChannel(sid), "signed_out");
}

/** After "sign out everywhere" (or a deactivation): close every socket of the user, on every node. */
export function endUserSockets(userId: string, reason: SocketCloseReason = "signed_out"): void {
  const io = realtime();
  if (io) closeSockets(io, userChannel(userId), reason);
}
