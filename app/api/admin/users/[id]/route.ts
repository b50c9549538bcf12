// GET /api/admin/users/:id → {user}; PATCH with {role} or {deactivated: boolean} → {user}.
// Admins only: everyone else gets a 404 (the admin API does not exist for them).

import { updateUserSchema } from "@/lib/admin/admin.schema";
import { changeRole, deactivateUser, getAdminUser, reactivateUser } from "@/lib/admin/admin.service";
import { requireApiUser } from "@/lib/auth/session";
import { parseOrThrow } from "@/lib/errors";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { userChannel } from "@/lib/realtime/events";
import { endUserSockets, realtime } from "@/lib/realtime/server/registry";
import { requireRole } from "@/lib/workspace/access";

type Ctx = { params: Promise<{ id: string }> };

export function GET(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/users/:id");
    return json({ user: await getAdminUser(actor, (await ctx.params).id) });
  });
}

export function PATCH(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("PATCH /api/admin/users/:id");
    // Before reading the body: a non-admin learns nothing, not even what a valid body looks like.
    await requireRole(actor.id, "admin", { hide: true });
    const id = (await ctx.params).id;
    const body = parseOrThrow(updateUserSchema, await readJson(req));
    if (body.role !== undefined) {
      const { user, changed } = await changeRole(actor, id, body.role);
      // The user's open tabs re-render their server-side controls (lib/realtime/client/socket.ts).
      if (changed) realtime()?.to(userChannel(user.id)).emit("account:updated", { role: user.role });
      return json({ user });
    }
    if (body.deactivated) {
      const { user } = await deactivateUser(actor, id);
      // Sessions ended in the update (sessionVersion); the sockets end here, on every node.
      endUserSockets(user.id, "deactivated");
      return json({ user });
    }
    return json({ user: (await reactivateUser(actor, id)).user });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
