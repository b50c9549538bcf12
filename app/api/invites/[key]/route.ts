// DELETE /api/invites/:id: revoke an invite (admins; a room invite also its room's moderators).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { revokeInvite } from "@/lib/invites/invites.service";

// One dynamic segment name for /api/invites/*: an invite's id here, its token under preview/ and accept/.
type Ctx = { params: Promise<{ key: string }> };

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/invites/:id");
    return json({ invite: await revokeInvite(user, (await ctx.params).key) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
