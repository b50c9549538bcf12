// GET /api/invites: every invite (admins) or, with ?roomId=, that room's invites (its moderators).
// POST /api/invites {kind:"workspace",role,roomIds,expiresIn,maxUses} | {kind:"room",roomId,…}: create one.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { createInvite, listInvites } from "@/lib/invites/invites.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/invites");
    const roomId = new URL(req.url).searchParams.get("roomId");
    return json({ invites: await listInvites(user, roomId ? { roomId } : {}) });
  });
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/invites");
    return json({ invite: await createInvite(user, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
