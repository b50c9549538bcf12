// GET /api/account/profile: my profile. PATCH {displayName?, username?, timeZone?, statusText?, statusEmoji?}.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { getProfile, updateProfile } from "@/lib/users/profile.service";

export function GET(): Promise<Response> {
  return handle(async () =>
    json({ profile: await getProfile(await requireApiUser("GET /api/account/profile")) }),
  );
}

export function PATCH(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PATCH /api/account/profile");
    return json({ profile: await updateProfile(user, await readJson(req)) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
