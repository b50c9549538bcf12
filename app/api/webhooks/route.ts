// GET /api/webhooks[?roomId=]: the incoming and outgoing webhooks the caller manages (a room's, for
// its moderators; every one, for admins).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listHooks } from "@/lib/webhooks/webhooks.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/webhooks");
    return json(await listHooks(user, { roomId: new URL(req.url).searchParams.get("roomId") }));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
