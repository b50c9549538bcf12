// GET /api/profiles/:username: a person's card (name, handle, status, time zone), by current or former handle.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { getUserCard } from "@/lib/users/profile.service";

export function GET(_req: Request, ctx: { params: Promise<{ username: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/profiles/:username");
    const { username } = await ctx.params;
    return json({ user: await getUserCard(user, username) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
