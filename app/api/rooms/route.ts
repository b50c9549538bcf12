// GET /api/rooms: my rooms. POST /api/rooms: create a room (the creator owns it).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { grantRoomAccess } from "@/lib/realtime/server/registry";
import { createRoom, listMyRooms } from "@/lib/rooms/rooms.service";

export function GET(): Promise<Response> {
  return handle(async () => json({ rooms: await listMyRooms(await requireApiUser("GET /api/rooms")) }));
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/rooms");
    const room = await createRoom(user, await readJson(req));
    grantRoomAccess([user.id], room.id);
    return json({ room }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
