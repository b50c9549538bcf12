// GET /api/admin/audit?before=&action= → {entries, before}: the audit log, newest first. Read-only:
// there is no route that changes it (and the database refuses UPDATE and DELETE). Admins only (404).
import { listAudit } from "@/lib/admin/admin.service";
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";

export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/audit");
    return json(await listAudit(actor, Object.fromEntries(new URL(req.url).searchParams)));
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
