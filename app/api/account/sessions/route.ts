// GET /api/account/sessions: my signed-in sessions ("Your devices"), this one marked `current`.
import { requireApiSession } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listDevices } from "@/lib/sessions/devices.service";

export function GET(): Promise<Response> {
  return handle(async () => {
    const { user, sid } = await requireApiSession("GET /api/account/sessions");
    return json({ sessions: await listDevices(user, sid) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
