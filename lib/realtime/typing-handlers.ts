// typing:start / typing:stop: members only, at most one "typing" broadcast per user and room every
// 2 s (throttle in shared state, so it holds across nodes).
import { z } from "zod";
import { parseOrThrow } from "@/lib/errors";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { requireMembership } from "@/lib/rooms/rooms.service";
import { roomChannel } from "./events";
import { withAck } from "./handler";
import type { HandlerContext } from "./server";

export const TYPING_THROTTLE_MS = 2_000;
const payloadSchema = z.strictObject({ roomId: roomIdSchema });

export function registerTypingHandlers(socket: HandlerContext["socket"], ctx: HandlerContext): void {
  const user = socket.data.user;
  const who = { id: user.id, username: user.username, displayName: user.displayName };
  socket.on(
    "typing:start",
    withAck(ctx.log, "typing:start", async (payload) => {
      const { roomId } = parseOrThrow(payloadSchema, payload);
      if (!(await ctx.state.throttle(`typing:${user.id}:${roomId}`, TYPING_THROTTLE_MS)))
        return { broadcast: false };
      await requireMembership(user, roomId);
      socket.to(roomChannel(roomId)).emit("typing:update", { roomId, user: who, typing: true });
      return { broadcast: true };
    }),
  );
  socket.on(
    "typing:stop",
    withAck(ctx.log, "typing:stop", async (payload) => {
      const { roomId } = parseOrThrow(payloadSchema, payload);
      // Only from a socket that passed room:join; clearing an indicator needs no fresh DB check.
      if (socket.rooms.has(roomChannel(roomId))) {
        socket.to(roomChannel(roomId)).emit("typing:update", { roomId, user: who, typing: false });
      }
      return null;
    }),
  );
}
