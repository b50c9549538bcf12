// draft:save: store (or clear) my draft in a room; every socket of mine, on every device and node,
// gets draft:updated (the composer of another device shows it, the sidebars mark the room).
import type { DraftView } from "@/lib/drafts/drafts.schema";
import { saveDraft } from "@/lib/drafts/drafts.service";
import { userChannel } from "@/lib/realtime/events";
import type { HandlerContext, HandlerTable } from "./dispatcher";

function saveDraftFromSocket(ctx: HandlerContext, payload: unknown): Promise<DraftView> {
  return saveDraft(ctx.socket.data.user, payload);
}
function draftToMyDevices(ctx: HandlerContext, draft: DraftView): void {
  ctx.io.to(userChannel(ctx.socket.data.user.id)).emit("draft:updated", draft);
}

export const draftHandlers = {
  "draft:save": { run: saveDraftFromSocket, after: draftToMyDevices },
} satisfies Partial<HandlerTable>;
