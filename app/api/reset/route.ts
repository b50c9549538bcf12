// POST /api/reset {token, password, confirm}: use a one-time reset link (no session needed; the
// link is the credential). Sets the password and ends every session and socket of the account.
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { endUserSockets } from "@/lib/realtime/server/registry";
import { resetPassword } from "@/lib/users/password-reset.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const { userId, username } = await resetPassword(await readJson(req, 4096));
    endUserSockets(userId, "signed_out");
    return json({ ok: true, username });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
