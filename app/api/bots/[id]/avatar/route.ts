// POST /api/bots/:id/avatar (multipart field `file`) → {avatarUrl}: set a bot's picture. DELETE:
// remove it. Its owner and admins only (404 for everyone else).

import { requireApiUser } from "@/lib/auth/session";
import { removeBotAvatar, requireManageableBot, setBotAvatar } from "@/lib/bots/bots.service";
import { handle, json, otherMethods } from "@/lib/http";
import { withUploadedFile } from "@/lib/http/multipart";

type Ctx = { params: Promise<{ id: string }> };

export function POST(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/bots/:id/avatar");
    const id = (await ctx.params).id;
    // Before the upload is read: someone who may not manage the bot sends no bytes anywhere.
    await requireManageableBot(user, id);
    return json(await withUploadedFile(req, "file", ({ stream }) => setBotAvatar(user, id, stream)));
  });
}

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/bots/:id/avatar");
    await removeBotAvatar(user, (await ctx.params).id);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
