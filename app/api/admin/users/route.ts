// GET /api/admin/users?q=&after= → {users, next}: each with `connected`, the sockets (tabs and
// devices) open right now on every node, or null when that cannot be counted. Admins only (404).
import { listUsers } from "@/lib/admin/admin.service";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { connectedSocketCounts } from "@/lib/realtime/server/registry";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/users");
    const { users, next } = await listUsers(actor, Object.fromEntries(new URL(req.url).searchParams));
    const counts = await connectedSocketCounts(users.map((u) => u.id));
    return json({ users: users.map((u) => ({ ...u, connected: counts?.get(u.id) ?? null })), next });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
