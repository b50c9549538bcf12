// PUT /api/rooms/:roomId/bans/:userId {reason?}: ban someone (moderators); if they were in the room,
// their tabs leave it at once (room:removed). DELETE: unban (they may join or be added again).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { revokeRoomAccess } from "@/lib/realtime/server/registry";
import { banMember, unbanMember } from "@/lib/rooms/moderation.service";

type Ctx = { params: Promise<{ roomId: string; userId: string }> };

export function PUT(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PUT /api/rooms/:roomId/bans/:userId");
    const { roomId, userId } = await ctx.params;
    const ban = await banMember(user, roomId, userId, await readJson(req));
    // Also when they were not a member: a public room they preview leaves their tabs too.
    revokeRoomAccess(ban.userId, ban.roomId, { reason: "banned", roomName: ban.roomName });
    return json({ banned: { roomId: ban.roomId, userId: ban.userId } });
  });
}

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/rooms/:roomId/bans/:userId");
    const { roomId, userId } = await ctx.params;
    return json({ unbanned: await unbanMember(user, roomId, userId) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PATCH, OPTIONS } = otherMethods("PUT", "DELETE");
