// GET /api/rooms/:roomId: the room as the caller may see it (404 when hidden).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { getRoomForViewer } from "@/lib/rooms/rooms.service";

export function GET(_req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId");
    return json({ room: await getRoomForViewer(user, (await ctx.params).roomId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
