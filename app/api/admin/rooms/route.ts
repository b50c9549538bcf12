// GET /api/admin/rooms?q=&offset= → {rooms, total}: every channel, public and private, by name and
// member count (never messages). Admins only (404).
import { listRooms } from "@/lib/admin/admin.service";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/rooms");
    return json(await listRooms(actor, Object.fromEntries(new URL(req.url).searchParams)));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
