// GET /api/search?q=…&before=…: messages matching words (and in:#room, from:@user) that I may see.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { searchMessages } from "@/lib/search/search.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/search");
    return json(await searchMessages(user, Object.fromEntries(new URL(req.url).searchParams)));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
