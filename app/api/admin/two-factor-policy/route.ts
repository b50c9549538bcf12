// PUT /api/admin/two-factor-policy {policy: "off" | "admins" | "everyone"}: admins only (audited).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { setTwoFactorPolicy } from "@/lib/workspace/settings.service";

export function PUT(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("PUT /api/admin/two-factor-policy");
    return json({ policy: await setTwoFactorPolicy(user, await readJson(req)) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PATCH, DELETE, OPTIONS } = otherMethods("PUT");
