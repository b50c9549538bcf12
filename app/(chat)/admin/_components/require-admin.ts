// Every console page and the layout call this: non-admins get the plain 404 page (the console does
// not exist for them), signed-out visitors go to sign-in and come back.
import { notFound } from "next/navigation";
import { requireAdmin } from "@/lib/admin/admin.service";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import type { SessionUser } from "@/lib/users/users.schema";
import type { RoleOf } from "@/lib/workspace/access";

export async function requireAdminPage(path: string): Promise<{ user: SessionUser; admin: RoleOf }> {
  const user = await requireUser(path);
  try {
    return { user, admin: await requireAdmin(user) };
  } catch (err) {
    if (err instanceof AppError && (err.code === "not_found" || err.code === "unauthorized")) notFound();
    throw err;
  }
}
