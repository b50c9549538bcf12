// Reaches the running Socket.IO server from route handlers in the Next bundle (a separate module
// instance from server.ts, so the server lives on globalThis). Imports only types from socket.io.
import type { Server } from "socket.io";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type {
  AuthChange,
  ClientToServerEvents,
  InterServerEvents,
  ServerToClientEvents,
  SocketCloseReason,
  SocketData,
} from "@/lib/realtime/events";
import { roomChannel, sessionChannel, userChannel } from "@/lib/realtime/events";
import type { RemovalReason, RoomUpdate } from "@/lib/rooms/moderation.schema";
import { removalNotice } from "@/lib/rooms/moderation.schema";
import type { Role } from "@/lib/workspace/roles";

export type BeaconServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Tells a node's handshake cache (handshake-auth.ts) of a change, on this node and on every other one,
 * resolving once they all have it (or the adapter's request timed out).
 */
export type AuthInvalidator = (change: AuthChange) => Promise<void>;

const g = globalThis as unknown as {
  __beaconIo?: BeaconServer;
  /** By server: a test process runs several nodes, each with its own cache. */
  __beaconAuth?: WeakMap<BeaconServer, AuthInvalidator>;
};

export function setRealtime(io: BeaconServer | undefined, invalidate?: AuthInvalidator): void {
  g.__beaconIo = io;
  if (io && invalidate) {
    g.__beaconAuth ??= new WeakMap();
    g.__beaconAuth.set(io, invalidate);
  }
}

/**
 * Before a change to sessions or memberships takes effect on sockets: every node forgets what its
 * handshakes read about them, and handshakes in flight read again (handshake-auth.ts). Awaited by
 * every function below before it closes or moves sockets, so that the request making the change
 * answers only once no node can let a new socket in on an old answer.
 */
export async function authChanged(change: AuthChange): Promise<void> {
  const io = realtime();
  const invalidate = io ? g.__beaconAuth?.get(io) : undefined;
  await invalidate?.(change);
}

/** The running Socket.IO server, if this process has one. */
export function realtime(): BeaconServer | undefined {
  return g.__beaconIo;
}

/**
 * After users gain access to a room, put their sockets in its channel and tell their tabs; the room's
 * channel gets room:members (its member count changed).
 */
export async function grantRoomAccess(userIds: string[], roomId: string): Promise<void> {
  const io = realtime();
  if (!io || userIds.length === 0) return;
  await authChanged({ userIds });
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
export async function revokeRoomAccess(
  userId: string,
  roomId: string,
  why?: { reason: RemovalReason; roomName: string },
): Promise<void> {
  const io = realtime();
  if (!io) return;
  await authChanged({ userIds: [userId] });
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

/**
 * A user's account changed in a way a socket's user carries (workspace role, name): new handshakes
 * read it fresh, and (with `role`) their open tabs get account:updated.
 */
export async function accountUpdated(userId: string, role?: Role): Promise<void> {
  const io = realtime();
  if (!io) return;
  await authChanged({ userIds: [userId] });
  if (role !== undefined) io.to(userChannel(userId)).emit("account:updated", { role });
}

/** The workspace's two-factor policy changed: every new handshake checks it again. */
export async function workspacePolicyChanged(): Promise<void> {
  await authChanged({ all: true });
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
export async function endSessionSockets(
  sid: string,
  reason: SocketCloseReason = "signed_out",
): Promise<void> {
  const io = realtime();
  if (!io) return;
  await authChanged({ sids: [sid] });
  closeSockets(io, sessionChannel(sid), reason);
}

/** After "sign out everywhere" (or a deactivation): close every socket of the user, on every node. */
export async function endUserSockets(
  userId: string,
  reason: SocketCloseReason = "signed_out",
): Promise<void> {
  const io = realtime();
  if (!io) return;
  await authChanged({ userIds: [userId] });
  closeSockets(io, userChannel(userId), reason);
}

/**
 * After a password change: every socket of the user is dropped without a reason (the tab that changed
 * it signs straight back in, lib/realtime/client/socket.ts whileSigningInAgain).
 */
export async function dropUserSockets(userId: string): Promise<void> {
  const io = realtime();
  if (!io) return;
  await authChanged({ userIds: [userId] });
  io.in(userChannel(userId)).disconnectSockets(true);
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
