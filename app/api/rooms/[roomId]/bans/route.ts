// GET /api/rooms/:roomId/bans: who is banned from the room (its moderators).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listBans } from "@/lib/rooms/moderation.service";

type Ctx = { params: Promise<{ roomId: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId/bans");
    return json({ bans: await listBans(user, (await ctx.params).roomId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
