// GET /api/admin/settings → {settings}; PATCH with any of {name, logoText, registration,
// defaultRoomIds} → {settings}. Admins only (404 for everyone else).
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods, readJson } from "@/lib/http";
import { requireRole } from "@/lib/workspace/access";
import { getWorkspaceSettings, updateWorkspaceSettings } from "@/lib/workspace/settings.service";

export function GET(): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/settings");
    await requireRole(actor.id, "admin", { hide: true });
    return json({ settings: await getWorkspaceSettings() });
  });
}

export function PATCH(req: Request): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("PATCH /api/admin/settings");
    await requireRole(actor.id, "admin", { hide: true });
    return json({ settings: await updateWorkspaceSettings(actor, await readJson(req)) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, DELETE, OPTIONS } = otherMethods("GET", "PATCH");
