// POST /api/account/two-factor/disable {code} | {recoveryCode}: turn two-factor off.
import { requireApiUser } from "@/lib/auth/session";
import { disableTwoFactor } from "@/lib/auth/two-factor.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/two-factor");
    await disableTwoFactor(user, await readJson(req));
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
