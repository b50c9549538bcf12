// GET /api/bots/:id → {bot}. PATCH {displayName?, description?} → {bot}. DELETE → {bot}: deactivate
// it (its tokens are revoked and its open sockets closed at once, on every node; messages stay).
// Its owner and admins only: 404 for everyone else.

import { requireApiUser } from "@/lib/auth/session";
import { deactivateBot, getBot, updateBot } from "@/lib/bots/bots.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { endUserSockets } from "@/lib/realtime/server/registry";

type Ctx = { params: Promise<{ id: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/bots/:id");
    return json({ bot: await getBot(user, (await ctx.params).id) });
  });
}

export function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PATCH /api/bots/:id");
    const id = (await ctx.params).id;
    return json({ bot: await updateBot(user, id, await readJson(req)) });
  });
}

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/bots/:id");
    const bot = await deactivateBot(user, (await ctx.params).id);
    endUserSockets(bot.id, "deactivated");
    return json({ bot });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, OPTIONS } = otherMethods("GET", "PATCH", "DELETE");
