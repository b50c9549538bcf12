// GET /api/rooms/:roomId/members: who is in the room. POST {username}: the owner adds someone.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { grantRoomAccess } from "@/lib/realtime/server/registry";
import { addMember, listMembers } from "@/lib/rooms/rooms.service";

type Ctx = { params: Promise<{ roomId: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/rooms/:roomId/members");
    return json({ members: await listMembers(user, (await ctx.params).roomId) });
  });
}

export function POST(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/rooms/:roomId/members");
    // The stored id, not the URL's: an upper-case id in the URL names no live channel.
    const { roomId, ...member } = await addMember(user, (await ctx.params).roomId, await readJson(req));
    grantRoomAccess([member.id], roomId);
    return json({ member }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
