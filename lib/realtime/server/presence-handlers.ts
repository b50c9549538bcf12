// presence:set / presence:list, and the connect/disconnect bookkeeping that keeps presence right
// across nodes (shared state) without flicker on a reload (offline only after a grace period).
import { z } from "zod";
import { parseOrThrow } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { type PresenceStatus, presenceOf, roomPresence } from "@/lib/presence/presence";
import { type PresenceUpdate, roomChannel, userChannel } from "@/lib/realtime/events";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { roomIdsOf } from "@/lib/rooms/rooms.service";
import { REFRESH_EVERY_MS, type SocketState } from "@/lib/state/shared-state";
import type { HandlerContext, HandlerTable } from "./dispatcher";

const log = logger.child({ module: "presence" });

/** A reload reconnects within this window, so nobody sees the user flicker offline. */
export const OFFLINE_GRACE_MS = 4_000;

/** Tell everyone who shares a room with `userId` (and their own tabs) their current status. */
export async function publishPresence(ctx: HandlerContext, userId: string): Promise<PresenceStatus> {
  const status = (await presenceOf(ctx.state, [userId]))[userId] ?? "offline";
  const rooms = await roomIdsOf(userId);
  // Every socket of the user follows all of the user's rooms, so the rooms reach their tabs too.
  const channels = rooms.length > 0 ? rooms.map(roomChannel).sort() : [userChannel(userId)];
  queuePresence(ctx.io, channels, { userId, status });
  return status;
}

/**
 * Status changes wait up to this long and go out together: when many people come online at once (a
 * restart, the morning), each arrival in a room of N online members was a frame to each of them,
 * N² frames in all, and that was most of a handshake's CPU in the bench. Changes whose users share
 * exactly the same rooms go out as one `presence:batch` frame per socket (a lone change stays a
 * `presence:update`). Nobody sees a status of someone they share no room with.
 */
export const PRESENCE_COALESCE_MS = 200;

interface PresenceGroup {
  io: HandlerContext["io"];
  channels: string[];
  /** Latest status per user, in the order of their last change. */
  updates: Map<string, PresenceStatus>;
}
const pendingPresence = new Map<string, PresenceGroup>();
let presenceTimer: NodeJS.Timeout | undefined;

function queuePresence(io: HandlerContext["io"], channels: string[], update: PresenceUpdate): void {
  const key = channels.join(" ");
  let group = pendingPresence.get(key);
  if (!group) {
    group = { io, channels, updates: new Map() };
    pendingPresence.set(key, group);
  }
  group.updates.delete(update.userId);
  group.updates.set(update.userId, update.status);
  if (!presenceTimer) {
    presenceTimer = setTimeout(flushPresence, PRESENCE_COALESCE_MS);
    presenceTimer.unref();
  }
}

function flushPresence(): void {
  presenceTimer = undefined;
  const groups = [...pendingPresence.values()];
  pendingPresence.clear();
  for (const g of groups) {
    const updates = [...g.updates].map(([userId, status]) => ({ userId, status }));
    const [only] = updates;
    if (updates.length === 1 && only) g.io.to(g.channels).emit("presence:update", only);
    else g.io.to(g.channels).emit("presence:batch", updates);
  }
}

/**
 * Record this socket's state and tell the user's rooms only when the user's status changes: another
 * tab of someone already online must not cost a broadcast to every room they share (with many tabs
 * and big rooms that is quadratic). Two nodes racing may both announce; that is harmless.
 */
async function putAndAnnounce(ctx: HandlerContext, userId: string, socketId: string, state: SocketState) {
  const before = (await presenceOf(ctx.state, [userId]))[userId];
  await ctx.state.putSocket(userId, socketId, state, ctx.socket.data.connectedAt);
  const after = (await presenceOf(ctx.state, [userId]))[userId] ?? "offline";
  if (after !== before) await publishPresence(ctx, userId);
  return after;
}

/**
 * A new socket: record it, and announce the user if that changed their status. Resolves once it is
 * recorded (never rejects: a failure is logged), so the per-user socket limit can count it.
 */
export function trackPresence(ctx: HandlerContext): Promise<void> {
  const { socket } = ctx;
  socket.data.presence = "active";
  return putAndAnnounce(ctx, socket.data.user.id, socket.id, "active").then(
    () => undefined,
    (err) => log.warn({ err }, "presence update failed"),
  );
}

/** A socket closed: forget it now, announce offline only after the grace period. */
export function untrackPresence(ctx: HandlerContext): void {
  const userId = ctx.socket.data.user.id;
  void ctx.state
    .removeSocket(userId, ctx.socket.id)
    .catch((err) => log.warn({ err }, "presence removal failed"));
  const timer = setTimeout(() => {
    void publishPresence(ctx, userId).catch((err) => log.warn({ err }, "presence update failed"));
  }, OFFLINE_GRACE_MS);
  timer.unref();
}

async function setPresenceFromSocket(ctx: HandlerContext, payload: unknown) {
  const { state } = parseOrThrow(z.strictObject({ state: z.enum(["active", "idle"]) }), payload);
  ctx.socket.data.presence = state;
  return { status: await putAndAnnounce(ctx, ctx.socket.data.user.id, ctx.socket.id, state) };
}

async function listRoomPresence(ctx: HandlerContext, payload: unknown) {
  const { roomId } = parseOrThrow(z.strictObject({ roomId: roomIdSchema }), payload);
  return roomPresence(ctx.state, ctx.socket.data.user, roomId);
}

export const presenceHandlers = {
  "presence:set": { run: setPresenceFromSocket },
  "presence:list": { run: listRoomPresence },
} satisfies Partial<HandlerTable>;

/** Re-announce this node's sockets so they do not go stale; returns a stop function. */
export function startPresenceHeartbeat(ctx: Omit<HandlerContext, "socket">): () => void {
  const timer = setInterval(() => {
    for (const socket of ctx.io.of("/").sockets.values()) {
      const user = socket.data.user;
      if (!user) continue;
      void ctx.state
        .putSocket(user.id, socket.id, socket.data.presence ?? "active", socket.data.connectedAt)
        .catch((err) => ctx.log.warn({ err }, "presence heartbeat failed"));
    }
  }, REFRESH_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
