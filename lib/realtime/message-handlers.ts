// message:* and reaction:toggle over the socket; the services do validation and authorization.
import type { ChatMessage } from "@/lib/messages/messages.schema";
import {
  deleteMessage,
  editMessage,
  listChanges,
  listMessages,
  sendMessage,
  toggleReaction,
} from "@/lib/messages/messages.service";
import { metrics } from "@/lib/ops/metrics";
import { roomChannel } from "./events";
import { type HandlerTable, handler } from "./handler";
import type { HandlerContext } from "./server";

/** After the ack: tell the rest of the room (the sender already has it from its ack). */
const toRoom =
  (event: "message:new" | "message:updated" | "message:deleted") => (ctx: HandlerContext, m: ChatMessage) => {
    ctx.socket.to(roomChannel(m.roomId)).emit(event, m);
  };

const newToRoom = toRoom("message:new");

export const messageHandlers: HandlerTable = {
  "message:send": handler({
    run: async (ctx, payload) => (await sendMessage(ctx.socket.data.user, payload)).message,
    // Persist → ack → broadcast. A retried clientId is re-broadcast too (its first broadcast may
    // have been lost with a crashed node); clients drop what they already hold by seq.
    after: (ctx, message) => {
      metrics().messages.inc();
      newToRoom(ctx, message);
    },
  }),
  "message:list": handler({ run: (ctx, payload) => listMessages(ctx.socket.data.user, payload) }),
  "message:changes": handler({ run: (ctx, payload) => listChanges(ctx.socket.data.user, payload) }),
  "message:edit": handler({
    run: (ctx, payload) => editMessage(ctx.socket.data.user, payload),
    after: toRoom("message:updated"),
  }),
  "message:delete": handler({
    run: (ctx, payload) => deleteMessage(ctx.socket.data.user, payload),
    after: toRoom("message:deleted"),
  }),
  "reaction:toggle": handler({
    run: (ctx, payload) => toggleReaction(ctx.socket.data.user, payload),
    after: toRoom("message:updated"),
  }),
};
