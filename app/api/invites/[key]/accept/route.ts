// POST /api/invites/:token/accept: the signed-in user joins the link's rooms (their role never
// changes); their open tabs get the rooms live.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { acceptInvite } from "@/lib/invites/invites.service";
import { grantRoomAccess } from "@/lib/realtime/server/registry";

export function POST(_req: Request, ctx: { params: Promise<{ key: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/invites/:token/accept");
    const result = await acceptInvite(user, (await ctx.params).key);
    for (const roomId of result.joinedRoomIds) grantRoomAccess([user.id], roomId);
    return json(result);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
