// GET /api/rooms/:roomId/messages?before=SEQ|after=SEQ&limit=N: keyset-paginated history.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listMessages } from "@/lib/messages/messages.service";

export function GET(req: Request, ctx: { params: Promise<{ roomId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId/messages");
    const { roomId } = await ctx.params;
    const query = Object.fromEntries(new URL(req.url).searchParams); // own properties only
    return json(await listMessages(user, { ...query, roomId }));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
