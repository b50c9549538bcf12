// GET /api/rooms/:roomId/pins: the room's pinned messages, latest pin first (anyone who can see it).
// Pinning is the socket event message:pin (like every other message change).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listPinned } from "@/lib/messages/messages.service";

type Ctx = { params: Promise<{ roomId: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId/pins");
    return json({ messages: await listPinned(user, (await ctx.params).roomId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
