// GET /api/account/two-factor: is two-factor on for me, required of me, and how many recovery codes are left.
import { requireApiUser } from "@/lib/auth/session";
import { twoFactorStatus } from "@/lib/auth/two-factor.service";
import { handle, json, otherMethods } from "@/lib/http";

export function GET(): Promise<Response> {
  return handle(async () => json(await twoFactorStatus(await requireApiUser("GET /api/account/two-factor"))));
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
