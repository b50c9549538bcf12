// POST /api/rooms/:roomId/join: join a public room.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json } from "@/lib/http";
import { joinRoom } from "@/lib/rooms/rooms.service";

export function POST(_req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser();
    return json({ room: await joinRoom(user, (await ctx.params).roomId) });
  });
}
