// GET /api/bots → {bots, canCreate}: the bots I own (every bot for admins).
// POST {username, displayName, description?} → 201 {bot}: a new bot owned by me. Admins; members only
// when the workspace allows it (403 otherwise); guests never.

import { requireApiUser } from "@/lib/auth/session";
import { botPermissions, createBot, listBots } from "@/lib/bots/bots.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";

export function GET(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/bots");
    const [bots, { canCreate }] = await Promise.all([listBots(user), botPermissions(user)]);
    return json({ bots, canCreate });
  });
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/bots");
    return json({ bot: await createBot(user, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
