// GET /api/sidebar: my rooms and DMs with unread and mention counts.
import { requireApiUser } from "@/lib/auth/session";
import { catchUpRead } from "@/lib/db/read-gate";
import { handle, json, otherMethods } from "@/lib/http";
import { sidebar } from "@/lib/rooms/rooms.service";

export function GET(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/sidebar");
    // Every tab asks on each connect: a catch-up read (lib/db/read-gate.ts) after a restart.
    return json({ rooms: await catchUpRead(() => sidebar(user)) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
