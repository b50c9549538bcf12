// typing:start / typing:stop: members only, at most one "typing" broadcast per user and room every
// 2 s (throttle in shared state, so it holds across nodes).
import { z } from "zod";
import { parseOrThrow } from "@/lib/errors";
import { roomChannel } from "@/lib/realtime/events";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { requireMembership } from "@/lib/rooms/rooms.service";
import type { HandlerContext, HandlerTable } from "./dispatcher";

export const TYPING_THROTTLE_MS = 2_000;
const payloadSchema = z.strictObject({ roomId: roomIdSchema });

async function startTyping({ socket, state }: HandlerContext, payload: unknown) {
  const user = socket.data.user;
  const { roomId } = parseOrThrow(payloadSchema, payload);
  if (!(await state.throttle(`typing:${user.id}:${roomId}`, TYPING_THROTTLE_MS))) return { broadcast: false };
  await requireMembership(user, roomId);
  socket.to(roomChannel(roomId)).emit("typing:update", { roomId, user, typing: true });
  return { broadcast: true };
}

async function stopTyping({ socket }: HandlerContext, payload: unknown): Promise<null> {
  const user = socket.data.user;
  const { roomId } = parseOrThrow(payloadSchema, payload);
  // Only from a socket that passed room:join; clearing an indicator needs no fresh DB check.
  if (socket.rooms.has(roomChannel(roomId))) {
    socket.to(roomChannel(roomId)).emit("typing:update", { roomId, user, typing: false });
  }
  return null;
}

export const typingHandlers = {
  "typing:start": { run: startTyping },
  "typing:stop": { run: stopTyping },
} satisfies Partial<HandlerTable>;
