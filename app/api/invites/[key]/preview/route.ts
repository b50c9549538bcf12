// GET /api/invites/:token/preview: public (no sign-in): the workspace, what the link grants, or
// why it does not work. Limited per client address (the token is 24 random bytes: nothing to guess).
import { handle, json, otherMethods } from "@/lib/http";
import { previewInvite } from "@/lib/invites/invites.service";
import { clientIp } from "@/lib/origin";
import { limits } from "@/lib/ratelimit/limits";

export function GET(req: Request, ctx: { params: Promise<{ key: string }> }): Promise<Response> {
  return handle(async () => {
    await limits().consume("GET /api/invites/:token/preview", clientIp(req.headers));
    return json({ invite: await previewInvite((await ctx.params).key) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
