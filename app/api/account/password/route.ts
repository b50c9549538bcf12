// POST /api/account/password {currentPassword, newPassword}: change it and end every other session.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { userChannel } from "@/lib/realtime/events";
import { realtime } from "@/lib/realtime/server/registry";
import { changePassword } from "@/lib/users/users.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/password");
    await changePassword(user, await readJson(req));
    // Live sockets were authenticated with the old session: drop them (this tab signs in again).
    realtime()?.in(userChannel(user.id)).disconnectSockets(true);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
