// GET /api/bots/:id/tokens → {tokens}. POST {name, scopes, expiresInDays?} → 201 {token}: a token
// that acts as the bot (shown once). The bot's owner and admins only (404 for everyone else); a
// browser session only (an API token cannot mint tokens: 403).

import { requireApiUser } from "@/lib/auth/session";
import { createBotToken, listBotTokens } from "@/lib/bots/bots.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";

type Ctx = { params: Promise<{ id: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/bots/:id/tokens");
    return json({ tokens: await listBotTokens(user, (await ctx.params).id) });
  });
}

export function POST(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/bots/:id/tokens");
    const id = (await ctx.params).id;
    return json({ token: await createBotToken(user, id, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
