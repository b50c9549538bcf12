// POST /api/rooms/:roomId/join: join a public room.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { grantRoomAccess } from "@/lib/realtime/server/registry";
import { joinRoom } from "@/lib/rooms/rooms.service";

export function POST(_req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/rooms/:roomId/join");
    const room = await joinRoom(user, (await ctx.params).roomId);
    grantRoomAccess([user.id], room.id);
    return json({ room });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
