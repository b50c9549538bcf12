// DELETE /api/account/sessions/:sid: sign out one of my other sessions; its sockets close on every node.
import { requireApiSession } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { endDevice } from "@/lib/sessions/devices.service";

export function DELETE(_req: Request, ctx: { params: Promise<{ sid: string }> }): Promise<Response> {
  return handle(async () => {
    const { user, sid: current } = await requireApiSession("DELETE /api/account/sessions/:sid");
    const { sid } = await ctx.params;
    endSessionSockets(await endDevice(user, current, { sid }));
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
