// POST /api/account/sessions/sign-out-others: sign out every session of mine but this one.
import { requireApiSession } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { endOtherDevices } from "@/lib/sessions/devices.service";

export function POST(): Promise<Response> {
  return handle(async () => {
    const { user, sid } = await requireApiSession("POST /api/account/sessions/sign-out-others");
    const ended = await endOtherDevices(user, sid);
    for (const s of ended) endSessionSockets(s);
    return json({ ended: ended.length });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
