// At most MAX_SOCKETS_PER_USER sockets per user (default 20): every socket costs memory, presence
// bookkeeping and a share of every broadcast to its user's rooms, and one account (a script, a
// stolen session) must not open them without bound. A new socket over the limit closes the user's
// OLDEST sockets, not itself: the tab in front of the person is the newest, and a forgotten tab is
// the one to go. The count is the user's sockets in the shared state (presence), so it is
// cluster-wide with Redis and per node without; the closing reaches other nodes through the adapter.
import { logger } from "@/lib/logger";
import type { HandlerContext } from "./dispatcher";
import { closeSockets } from "./registry";

const log = logger.child({ module: "realtime" });

/** Run once the new socket is recorded in the shared state (trackPresence). */
export async function limitUserSockets(ctx: HandlerContext, max: number): Promise<void> {
  const { socket, state, io } = ctx;
  if (!socket.connected) return;
  const userId = socket.data.user.id;
  const others = ((await state.sockets([userId])).get(userId) ?? [])
    .filter((e) => e.socketId !== socket.id)
    .sort((a, b) => a.connectedAt - b.connectedAt || (a.socketId < b.socketId ? -1 : 1));
  const excess = others.length + 1 - max;
  if (excess <= 0) return;
  const oldest = others.slice(0, excess);
  for (const e of oldest) {
    // Forget it at once, so a connection racing this one does not count (and close) it again.
    await state.removeSocket(userId, e.socketId);
    closeSockets(io, e.socketId, "too_many_sockets");
  }
  log.info({ uid: userId, closed: oldest.length, max }, "too many sockets: closed the oldest");
}
