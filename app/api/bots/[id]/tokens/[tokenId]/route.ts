// DELETE /api/bots/:id/tokens/:tokenId → {ok:true}: revoke one of a bot's tokens; the sockets opened
// with it close at once on every node (token_revoked). The bot's owner and admins only.

import { requireApiUser } from "@/lib/auth/session";
import { revokeBotToken } from "@/lib/bots/bots.service";
import { handle, json, otherMethods } from "@/lib/http";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { tokenSid } from "@/lib/tokens/tokens.service";

type Ctx = { params: Promise<{ id: string; tokenId: string }> };

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/bots/:id/tokens/:tokenId");
    const { id, tokenId } = await ctx.params;
    const revoked = await revokeBotToken(user, id, tokenId);
    endSessionSockets(tokenSid(revoked.id), "token_revoked");
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
