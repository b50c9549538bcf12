// GET /api/users/search?q=: people to start a conversation with (username or display name prefix).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json } from "@/lib/http";
import { searchUsers } from "@/lib/users/users.service";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    await requireApiUser();
    return json({ users: await searchUsers(new URL(req.url).searchParams.get("q") ?? "") });
  });
}
