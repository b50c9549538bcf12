// draft:save: store (or clear) my draft in a room; every socket of mine, on every device and node,
// gets draft:updated (the composer of another device shows it, the sidebars mark the room).
// draft:get: read it (a tab that reconnects missed the updates sent meanwhile).

import { z } from "zod";
import type { DraftView } from "@/lib/drafts/drafts.schema";
import { getDraft, saveDraft } from "@/lib/drafts/drafts.service";
import { parseOrThrow } from "@/lib/errors";
import { userChannel } from "@/lib/realtime/events";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import type { HandlerContext, HandlerTable } from "./dispatcher";

function saveDraftFromSocket(ctx: HandlerContext, payload: unknown): Promise<DraftView> {
  return saveDraft(ctx.socket.data.user, payload);
}
const roomPayload = z.strictObject({ roomId: roomIdSchema });

function getDraftFromSocket(ctx: HandlerContext, payload: unknown): Promise<DraftView> {
  return getDraft(ctx.socket.data.user, parseOrThrow(roomPayload, payload).roomId);
}
function draftToMyDevices(ctx: HandlerContext, draft: DraftView): void {
  ctx.io.to(userChannel(ctx.socket.data.user.id)).emit("draft:updated", draft);
}

export const draftHandlers = {
  "draft:save": { run: saveDraftFromSocket, after: draftToMyDevices },
  "draft:get": { run: getDraftFromSocket },
} satisfies Partial<HandlerTable>;
