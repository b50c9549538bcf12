// POST /api/rooms/:roomId/leave: leave a room; a private room's live channel is left at once.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { revokeRoomAccess } from "@/lib/realtime/server/registry";
import { leaveRoom } from "@/lib/rooms/rooms.service";

export function POST(_req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/rooms/:roomId/leave");
    const { roomId } = await ctx.params;
    const room = await leaveRoom(user, roomId);
    revokeRoomAccess(user.id, room.id);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
