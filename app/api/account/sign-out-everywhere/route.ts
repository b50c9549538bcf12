// POST /api/account/sign-out-everywhere: end every session of mine, on every device and node (the
// only way for an account without a password to end a session it no longer holds the cookie of).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { endUserSockets } from "@/lib/realtime/server/registry";
import { endAllSessions } from "@/lib/sessions/sessions.service";

export function POST(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/sign-out-everywhere");
    await endAllSessions(user.id);
    // Open sockets were authenticated before: tell them and close them, on every node.
    endUserSockets(user.id);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
