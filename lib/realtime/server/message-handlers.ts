// message:* and reaction:toggle over the socket; the services do validation and authorization.
import type { ChangesPage, ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import {
  deleteMessage,
  editMessage,
  listChanges,
  listMessages,
  pinMessage,
  sendMessage,
  toggleReaction,
} from "@/lib/messages/messages.service";
import { metrics } from "@/lib/ops/metrics";
import { roomChannel } from "@/lib/realtime/events";
import type { BeaconSocket, HandlerContext, HandlerTable } from "./dispatcher";

// After the ack: tell the rest of the room (the sender already has it from its ack).
function updatedToRoom(ctx: HandlerContext, m: ChatMessage): void {
  ctx.socket.to(roomChannel(m.roomId)).emit("message:updated", m);
}
function deletedToRoom(ctx: HandlerContext, m: ChatMessage): void {
  ctx.socket.to(roomChannel(m.roomId)).emit("message:deleted", m);
}

/**
 * New messages, grouped per room until this turn of the event loop ends. The sends that one insert
 * statement stored together (insert-batch.ts: a busy room) are settled in the same turn, so they
 * reach the room as one `message:batch` frame per member instead of one frame per message: under
 * load the fan-out costs about one write per member per statement, not per message. Like
 * message:new, nothing goes back to the socket that sent it (it has its message from its ack):
 * each sending socket gets the others' messages of the batch in a frame of its own.
 */
interface NewMessage {
  message: ChatMessage;
  ctx: HandlerContext;
}
const pendingNew = new Map<string, NewMessage[]>();

function newToRoom(ctx: HandlerContext, message: ChatMessage): void {
  const pending = pendingNew.get(message.roomId);
  if (pending) {
    pending.push({ message, ctx });
    return;
  }
  pendingNew.set(message.roomId, [{ message, ctx }]);
  // After this turn's acks (the check phase follows every callback and microtask of the turn).
  setImmediate(() => flushNew(message.roomId));
}

function flushNew(roomId: string): void {
  const batch = (pendingNew.get(roomId) ?? []).sort((a, b) => a.message.seq - b.message.seq);
  pendingNew.delete(roomId);
  const senders = new Map(batch.map((b) => [b.ctx.socket.id, b.ctx.socket]));
  const emit = (to: { emit: BeaconSocket["emit"] }, ms: ChatMessage[]) => {
    const [first] = ms;
    if (ms.length === 1 && first) to.emit("message:new", first);
    else if (ms.length > 1) to.emit("message:batch", ms);
  };
  const [any] = batch;
  if (!any) return;
  emit(
    any.ctx.io.to(roomChannel(roomId)).except([...senders.keys()]),
    batch.map((b) => b.message),
  );
  for (const [id, socket] of senders)
    emit(
      socket,
      batch.filter((b) => b.ctx.socket.id !== id).map((b) => b.message),
    );
}

/**
 * Acks that answer a retry with the message stored earlier. Only the sender hears about those: a
 * re-broadcast would let anyone who replays one clientId make the room fan it out again and again.
 * (Members who missed the first broadcast, say with a crashed node, catch up by seq on reconnect.)
 */
const retries = new WeakSet<ChatMessage>();

async function sendFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChatMessage> {
  const { message, created } = await sendMessage(ctx.socket.data.user, payload, { state: ctx.state });
  if (!created) retries.add(message);
  return message;
}

// Persist → ack → broadcast (batched per room within one turn, above).
function sentToRoom(ctx: HandlerContext, message: ChatMessage): void {
  if (retries.has(message)) return;
  metrics().messages.inc();
  newToRoom(ctx, message);
}

function listFromSocket(ctx: HandlerContext, payload: unknown): Promise<MessagePage> {
  return listMessages(ctx.socket.data.user, payload);
}
function changesFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChangesPage> {
  return listChanges(ctx.socket.data.user, payload);
}
function editFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChatMessage> {
  return editMessage(ctx.socket.data.user, payload);
}
function deleteFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChatMessage> {
  return deleteMessage(ctx.socket.data.user, payload);
}
function pinFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChatMessage> {
  return pinMessage(ctx.socket.data.user, payload);
}
function reactFromSocket(ctx: HandlerContext, payload: unknown): Promise<ChatMessage> {
  return toggleReaction(ctx.socket.data.user, payload);
}

export const messageHandlers = {
  "message:send": { run: sendFromSocket, after: sentToRoom },
  "message:list": { run: listFromSocket },
  "message:changes": { run: changesFromSocket },
  "message:edit": { run: editFromSocket, after: updatedToRoom },
  "message:delete": { run: deleteFromSocket, after: deletedToRoom },
  "message:pin": { run: pinFromSocket, after: updatedToRoom },
  "reaction:toggle": { run: reactFromSocket, after: updatedToRoom },
} satisfies Partial<HandlerTable>;
