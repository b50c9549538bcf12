// POST /api/admin/users/:id/reset-link → {url, expiresAt}: a one-time password reset link, valid for
// 1 hour (an older unused link stops working). Shown once: only its hash is stored. Admins only (404).
import { createResetLink } from "@/lib/admin/admin.service";
import { requireApiUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { handle, json, otherMethods } from "@/lib/http";

export function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("POST /api/admin/users/:id/reset-link");
    const { token, expiresAt, user } = await createResetLink(actor, (await ctx.params).id);
    const url = new URL(`/reset/${token}`, env().NEXTAUTH_URL ?? req.url).toString();
    return json({ url, expiresAt, user });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
