// DELETE /api/webhooks/incoming/:id: revoke the hook's URL (it answers 404 until regenerated).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { revokeIncomingHook } from "@/lib/webhooks/webhooks.service";

export function DELETE(_req: Request, ctx: { params: Promise<{ hookId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/webhooks/incoming/:id");
    return json({ hook: await revokeIncomingHook(user, (await ctx.params).hookId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
