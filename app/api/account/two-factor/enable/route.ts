// POST /api/account/two-factor/enable {code}: confirm the set-up; answers the recovery codes, once.
import { requireApiUser } from "@/lib/auth/session";
import { confirmTwoFactorSetup } from "@/lib/auth/two-factor.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/two-factor");
    return json(await confirmTwoFactorSetup(user, await readJson(req)));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
