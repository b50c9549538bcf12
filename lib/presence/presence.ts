// Presence: a user is online while any of their tabs is connected and active, away when every
// connected tab is idle or hidden, offline when none is connected (docs/architecture.md for visibility).

import { getRoomForViewer, memberIds } from "@/lib/rooms/rooms.service";
import type { SharedState, SocketEntry } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";

export type PresenceStatus = "online" | "away" | "offline";

export function statusOf(entries: readonly SocketEntry[] | undefined): PresenceStatus {
  if (!entries || entries.length === 0) return "offline";
  return entries.some((e) => e.state === "active") ? "online" : "away";
}

export async function presenceOf(
  state: SharedState,
  userIds: string[],
): Promise<Record<string, PresenceStatus>> {
  const sockets = await state.sockets(userIds);
  const out: Record<string, PresenceStatus> = {};
  for (const id of userIds) out[id] = statusOf(sockets.get(id));
  return out;
}

/** Presence of a room's members, for someone allowed to see the room. */
export async function roomPresence(
  state: SharedState,
  actor: Pick<SessionUser, "id">,
  roomId: unknown,
): Promise<Record<string, PresenceStatus>> {
  const room = await getRoomForViewer(actor, roomId);
  return presenceOf(state, await memberIds(room.id));
}
