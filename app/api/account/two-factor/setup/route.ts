// POST /api/account/two-factor/setup: a new secret (as a QR code and as text) waits for a code.
import { requireApiUser } from "@/lib/auth/session";
import { startTwoFactorSetup } from "@/lib/auth/two-factor.service";
import { handle, json, otherMethods } from "@/lib/http";

export function POST(): Promise<Response> {
  return handle(async () =>
    json(await startTwoFactorSetup(await requireApiUser("POST /api/account/two-factor"))),
  );
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
