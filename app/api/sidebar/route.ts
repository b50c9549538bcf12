// GET /api/sidebar: my rooms and DMs with unread and mention counts.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json } from "@/lib/http";
import { sidebar } from "@/lib/rooms/rooms.service";

export function GET(): Promise<Response> {
  return handle(async () => json({ rooms: await sidebar(await requireApiUser()) }));
}
