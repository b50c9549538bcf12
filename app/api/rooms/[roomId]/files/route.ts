// GET /api/rooms/:roomId/files?before=<cursor>: the room's files, newest first, keyset-paged.
import { requireApiUser } from "@/lib/auth/session";
import { listRoomFiles } from "@/lib/files/files.service";
import { handle, json, otherMethods } from "@/lib/http";

export function GET(req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId/files");
    const { roomId } = await ctx.params;
    const before = new URL(req.url).searchParams.get("before") ?? undefined;
    return json(await listRoomFiles(user, { roomId, before }));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
