// GET /api/users/search?q=: people to start a conversation with (username or display name prefix).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { searchUsers } from "@/lib/users/users.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/users/search");
    return json({ users: await searchUsers(user, new URL(req.url).searchParams.get("q") ?? "") });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
