// GET /api/mentions: messages that mention me, newest first.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { listMentions } from "@/lib/search/search.service";

export function GET(): Promise<Response> {
  return handle(async () =>
    json({ mentions: await listMentions(await requireApiUser("GET /api/mentions")) }),
  );
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
