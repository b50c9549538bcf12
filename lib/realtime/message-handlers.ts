// message:send / message:list over the socket; the services do validation and authorization.
import type { Logger } from "pino";
import { listMessages, sendMessage } from "@/lib/messages/messages.service";
import { roomChannel } from "./events";
import { withAck } from "./handler";
import type { BeaconSocket } from "./server";

export function registerMessageHandlers(socket: BeaconSocket, log: Logger): void {
  const user = socket.data.user;
  socket.on(
    "message:send",
    withAck(
      log,
      "message:send",
      async (payload) => (await sendMessage(user, payload)).message,
      // Persist → ack → broadcast. A retried clientId is re-broadcast too (its first broadcast may
      // have been lost with a crashed node); clients drop what they already hold by seq.
      (message) => socket.to(roomChannel(message.roomId)).emit("message:new", message),
    ),
  );
  socket.on(
    "message:list",
    withAck(log, "message:list", (payload) => listMessages(user, payload)),
  );
}
