// DELETE /api/account/tokens/:id → {ok:true}: revoke one of my tokens. It stops at once: the next
// request with it is a 401, and the sockets opened with it are closed on every node (token_revoked).
// 404 for a token that is not mine or already revoked. A browser session only.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { revokeToken, tokenSid } from "@/lib/tokens/tokens.service";

type Ctx = { params: Promise<{ id: string }> };

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/account/tokens/:id");
    const { id } = await revokeToken(user.id, (await ctx.params).id);
    endSessionSockets(tokenSid(id), "token_revoked");
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
