// POST /api/webhooks/outgoing {name, url, roomIds, triggerWords}: a new outgoing webhook; the
// answer's `secret` (whsec_…, for verifying signatures) is shown this once.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { createOutgoingHook } from "@/lib/webhooks/webhooks.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/webhooks/outgoing");
    return json({ hook: await createOutgoingHook(user, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
