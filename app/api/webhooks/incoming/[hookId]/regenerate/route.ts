// POST /api/webhooks/incoming/:id/regenerate: a new secret URL (the old one stops at once), shown once.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { regenerateIncomingHook } from "@/lib/webhooks/webhooks.service";

export function POST(_req: Request, ctx: { params: Promise<{ hookId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/webhooks/incoming/:id/regenerate");
    return json({ hook: await regenerateIncomingHook(user, (await ctx.params).hookId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
