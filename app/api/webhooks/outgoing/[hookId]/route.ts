// DELETE /api/webhooks/outgoing/:id: delete the hook (no more events; its log goes with it).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { deleteOutgoingHook } from "@/lib/webhooks/webhooks.service";

export function DELETE(_req: Request, ctx: { params: Promise<{ hookId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/webhooks/outgoing/:id");
    return json(await deleteOutgoingHook(user, (await ctx.params).hookId));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
