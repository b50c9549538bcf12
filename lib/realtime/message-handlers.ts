// message:send / message:list over the socket; the services do validation and authorization.
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
import { withAck } from "./handler";
import type { HandlerContext } from "./server";

export function registerMessageHandlers(socket: HandlerContext["socket"], ctx: HandlerContext): void {
  const { log } = ctx;
  const user = socket.data.user;
  socket.on(
    "message:send",
    withAck(
      log,
      "message:send",
      async (payload) => (await sendMessage(user, payload)).message,
      // Persist → ack → broadcast. A retried clientId is re-broadcast too (its first broadcast may
      // have been lost with a crashed node); clients drop what they already hold by seq.
      (message) => {
        metrics().messages.inc();
        socket.to(roomChannel(message.roomId)).emit("message:new", message);
      },
    ),
  );
  socket.on(
    "message:list",
    withAck(log, "message:list", (payload) => listMessages(user, payload)),
  );
  socket.on(
    "message:changes",
    withAck(log, "message:changes", (payload) => listChanges(user, payload)),
  );
  socket.on(
    "message:edit",
    withAck(
      log,
      "message:edit",
      (payload) => editMessage(user, payload),
      (message) => socket.to(roomChannel(message.roomId)).emit("message:updated", message),
    ),
  );
  socket.on(
    "message:delete",
    withAck(
      log,
      "message:delete",
      (payload) => deleteMessage(user, payload),
      (message) => socket.to(roomChannel(message.roomId)).emit("message:deleted", message),
    ),
  );
  socket.on(
    "reaction:toggle",
    withAck(
      log,
      "reaction:toggle",
      (payload) => toggleReaction(user, payload),
      (message) => socket.to(roomChannel(message.roomId)).emit("message:updated", message),
    ),
  );
}
