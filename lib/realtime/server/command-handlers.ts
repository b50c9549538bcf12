// command:run / command:list: slash commands (lib/commands). The service returns what changed; the
// after-ack step broadcasts it the way the equivalent route or event would (registry.ts).
import type { CommandInfo, CommandOutcome } from "@/lib/commands/commands.schema";
import { type CommandEffects, listCommands, runCommand } from "@/lib/commands/commands.service";
import { metrics } from "@/lib/ops/metrics";
import { userChannel } from "@/lib/realtime/events";
import type { HandlerContext, HandlerTable } from "./dispatcher";
import { grantRoomAccess, messageToRoom, revokeRoomAccess, roomUpdated } from "./registry";

/** The effects of each ack, for its after-ack step. */
const effectsOf = new WeakMap<CommandOutcome, CommandEffects>();

async function runFromSocket(ctx: HandlerContext, payload: unknown): Promise<CommandOutcome> {
  const { outcome, effects } = await runCommand(ctx.socket.data.user, payload, { state: ctx.state });
  effectsOf.set(outcome, effects);
  return outcome;
}

function commandEffects(ctx: HandlerContext, outcome: CommandOutcome): void {
  const e = effectsOf.get(outcome);
  if (!e) return;
  if (e.newMessage) {
    metrics().messages.inc();
    // To the whole room, the caller's sockets included (its ack carried the message too; timelines
    // merge by seq), on every node.
    messageToRoom("new", e.newMessage);
  }
  if (e.roomUpdate) roomUpdated(e.roomUpdate);
  if (e.granted) grantRoomAccess([e.granted.userId], e.granted.roomId);
  if (e.revoked) revokeRoomAccess(e.revoked.userId, e.revoked.roomId);
  if (e.muted) ctx.io.to(userChannel(ctx.socket.data.user.id)).emit("room:muted", e.muted);
}

function listFromSocket(ctx: HandlerContext, payload: unknown): Promise<CommandInfo[]> {
  return listCommands(ctx.socket.data.user, payload);
}

export const commandHandlers = {
  "command:run": { run: runFromSocket, after: commandEffects },
  "command:list": { run: listFromSocket },
} satisfies Partial<HandlerTable>;
