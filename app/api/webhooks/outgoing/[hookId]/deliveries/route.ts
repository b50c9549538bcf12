// GET /api/webhooks/outgoing/:id/deliveries: the hook's delivery log (newest first): status, time,
// attempts, last response code or error.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listDeliveries } from "@/lib/webhooks/webhooks.service";

export function GET(_req: Request, ctx: { params: Promise<{ hookId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/webhooks/outgoing/:id/deliveries");
    return json({ deliveries: await listDeliveries(user, (await ctx.params).hookId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
