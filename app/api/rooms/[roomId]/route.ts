// GET /api/rooms/:roomId: the room as the caller may see it (404 when hidden).
// PATCH: change its settings (moderators); everyone in it gets room:updated.
// DELETE {confirm: "<name>"}: delete it (its owner or a workspace admin); members' tabs get room:removed.
import { requireApiUser } from "@/lib/auth/session";
import { purgeLater } from "@/lib/files/files.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { revokeRoomAccess, roomUpdated } from "@/lib/realtime/server/registry";
import { deleteRoom, updateRoomSettings } from "@/lib/rooms/moderation.service";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";

type Ctx = { params: Promise<{ roomId: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId");
    return json({ room: await getRoomForViewer(user, (await ctx.params).roomId) });
  });
}

export function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PATCH /api/rooms/:roomId");
    const settings = await updateRoomSettings(user, (await ctx.params).roomId, await readJson(req));
    roomUpdated(settings);
    return json({ settings });
  });
}

export function DELETE(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/rooms/:roomId");
    const gone = await deleteRoom(user, (await ctx.params).roomId, await readJson(req));
    for (const id of gone.memberIds)
      revokeRoomAccess(id, gone.roomId, { reason: "deleted", roomName: gone.name });
    // The room's files: their rows went with the room; their bytes go now (never awaited by the answer).
    void purgeLater(gone.fileIds);
    return json({ deleted: { roomId: gone.roomId, name: gone.name } });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
