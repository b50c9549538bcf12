// PATCH /api/rooms/:roomId/members/:userId {role: "moderator" | "member"}: the room's owner or a
// workspace admin chooses its moderators; that member's tabs get room:updated with their new role.
// DELETE: a moderator removes the member; their tabs leave the room at once (room:removed).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { revokeRoomAccess, roomRoleChanged } from "@/lib/realtime/server/registry";
import { removeMember, roomSettings, setMemberRole } from "@/lib/rooms/moderation.service";

type Ctx = { params: Promise<{ roomId: string; userId: string }> };

export function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PATCH /api/rooms/:roomId/members/:userId");
    const { roomId, userId } = await ctx.params;
    const { roomId: id, ...member } = await setMemberRole(user, roomId, userId, await readJson(req));
    roomRoleChanged(member.id, { ...(await roomSettings(user, id)), myRole: member.role });
    return json({ member });
  });
}

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/rooms/:roomId/members/:userId");
    const { roomId, userId } = await ctx.params;
    const removed = await removeMember(user, roomId, userId);
    revokeRoomAccess(removed.userId, removed.roomId, { reason: "removed", roomName: removed.roomName });
    return json({ removed: { roomId: removed.roomId, userId: removed.userId } });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, OPTIONS } = otherMethods("PATCH", "DELETE");
