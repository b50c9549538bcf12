// room:join / room:leave / room:read / room:mute: subscribe a socket to a room channel only after the
// read check passes; read markers and mute state are echoed to the user's other tabs.
import { z } from "zod";
import { AppError, parseOrThrow } from "@/lib/errors";
import type { RoomJoinResult } from "@/lib/realtime/events";
import { roomChannel, userChannel } from "@/lib/realtime/events";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { getRoomForViewer, markRead, roomIdsOf, setMuted } from "@/lib/rooms/rooms.service";
import type { BeaconSocket, HandlerContext, HandlerTable } from "./dispatcher";

const roomPayload = z.strictObject({ roomId: roomIdSchema });

async function joinRoomChannel({ socket }: HandlerContext, payload: unknown): Promise<RoomJoinResult> {
  const user = socket.data.user;
  const { roomId } = parseOrThrow(roomPayload, payload);
  const room = await getRoomForViewer(user, roomId);
  // A token without `write` reads only the rooms its user is in (no previews of public rooms).
  const scopes = socket.data.tokenScopes;
  if (scopes && !scopes.includes("write") && !room.isMember)
    throw new AppError("forbidden", 'This token does not have the "write" scope');
  await socket.join(roomChannel(room.id));
  // Read the room's seq after joining: anything stored later is delivered live, anything up to
  // here the client fetches with message:list after=<its last seq>. Access may have been lost in
  // between (a concurrent leave): then leave the channel again before answering.
  let fresh: Awaited<ReturnType<typeof getRoomForViewer>>;
  try {
    fresh = await getRoomForViewer(user, room.id);
  } catch (err) {
    await socket.leave(roomChannel(room.id));
    throw err;
  }
  return { room: fresh, lastSeq: fresh.lastSeq };
}

async function leaveRoomChannel({ socket }: HandlerContext, payload: unknown): Promise<null> {
  const { roomId } = parseOrThrow(roomPayload, payload);
  // Members stay subscribed (the sidebar's unread counts need their rooms' events).
  const room = await getRoomForViewer(socket.data.user, roomId).catch(() => null);
  if (!room?.isMember) await socket.leave(roomChannel(roomId));
  return null;
}

function markReadFromSocket(ctx: HandlerContext, payload: unknown) {
  return markRead(ctx.socket.data.user, payload);
}
function readToMyTabs(ctx: HandlerContext, read: { roomId: string; lastReadSeq: number }): void {
  ctx.io.to(userChannel(ctx.socket.data.user.id)).emit("room:read", read);
}

function muteFromSocket(ctx: HandlerContext, payload: unknown) {
  return setMuted(ctx.socket.data.user, payload);
}
function mutedToMyTabs(ctx: HandlerContext, muted: { roomId: string; muted: boolean }): void {
  ctx.io.to(userChannel(ctx.socket.data.user.id)).emit("room:muted", muted);
}

export const roomHandlers = {
  "room:join": { run: joinRoomChannel },
  "room:leave": { run: leaveRoomChannel },
  "room:read": { run: markReadFromSocket, after: readToMyTabs },
  "room:mute": { run: muteFromSocket, after: mutedToMyTabs },
} satisfies Partial<HandlerTable>;

/**
 * Every socket follows all of its user's rooms and DMs (live unread counts, notifications). The
 * handshake joins the channels of the rooms it read (`joined`); membership changes after that read
 * went to the user's other sockets, not to this one: a leave's revoke reaches only sockets that
 * finished their handshake. So once connected (the server calls this from "connection"), the list is
 * read again: rooms of `joined` left meanwhile are dropped, rooms joined meanwhile added. Channels
 * the socket joined otherwise (a public room it previews with room:join) are left alone. A change
 * committed after this read reaches the socket through its user channel, like any other.
 * `read` is the membership read (a seam for tests that commit a change in the middle of it).
 */
export async function mendMemberRooms(
  socket: BeaconSocket,
  joined: readonly string[],
  read: (userId: string) => Promise<string[]> = roomIdsOf,
): Promise<void> {
  const userId = socket.data.user.id;
  const now = new Set(await read(userId));
  for (const id of joined) if (!now.has(id)) await socket.leave(roomChannel(id));
  const had = new Set(joined);
  const added = [...now].filter((id) => !had.has(id));
  if (added.length === 0) return;
  // Joined after the read: a leave committed between the read and this join was revoked before the
  // socket was in the channel. Read once more now that it is; any later leave reaches it.
  await socket.join(added.map(roomChannel));
  const still = new Set(await roomIdsOf(userId));
  for (const id of added) if (!still.has(id)) await socket.leave(roomChannel(id));
}
