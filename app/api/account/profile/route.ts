// GET /api/account/profile: my profile. PATCH {displayName?, username?, timeZone?, statusText?, statusEmoji?}.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { accountUpdated } from "@/lib/realtime/server/registry";
import { getProfile, updateProfile } from "@/lib/users/profile.service";

export function GET(): Promise<Response> {
  return handle(async () =>
    json({ profile: await getProfile(await requireApiUser("GET /api/account/profile")) }),
  );
}

export function PATCH(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PATCH /api/account/profile");
    const profile = await updateProfile(user, await readJson(req));
    // New sockets carry the new name (a handshake's session check may be kept a moment).
    await accountUpdated(user.id);
    return json({ profile });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
