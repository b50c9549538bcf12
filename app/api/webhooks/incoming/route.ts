// POST /api/webhooks/incoming {roomId, name}: a new incoming webhook; the answer's `path` holds the
// secret, shown this once.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { createIncomingHook } from "@/lib/webhooks/webhooks.service";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/webhooks/incoming");
    return json({ hook: await createIncomingHook(user, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
