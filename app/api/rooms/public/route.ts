// GET /api/rooms/public?q=: public rooms with member counts.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listPublicRooms } from "@/lib/rooms/rooms.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/public");
    const q = new URL(req.url).searchParams.get("q") ?? "";
    return json({ rooms: await listPublicRooms(user, q) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
