// POST /api/dms {usernames}: open (or create) the direct conversation with these people.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { grantRoomAccess } from "@/lib/realtime/server/registry";
import { openDm } from "@/lib/rooms/rooms.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/dms");
    const { room, created, memberIds } = await openDm(user, await readJson(req));
    if (created) grantRoomAccess(memberIds, room.id);
    return json({ room }, created ? 201 : 200);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
