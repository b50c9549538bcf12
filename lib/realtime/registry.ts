// Reaches the running Socket.IO server from route handlers in the Next bundle (a separate module
// instance from server.ts, so the server lives on globalThis). Imports only types from socket.io.
import type { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from "./events";
import { roomChannel, userChannel } from "./events";

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
