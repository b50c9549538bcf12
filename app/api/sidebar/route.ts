// GET /api/sidebar: my rooms and DMs with unread and mention counts.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { sidebar } from "@/lib/rooms/rooms.service";

export function GET(): Promise<Response> {
  return handle(async () => json({ rooms: await sidebar(await requireApiUser("GET /api/sidebar")) }));
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
