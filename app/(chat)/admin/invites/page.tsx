// Admin console, Invites tab: every invite link (workspace and room), a form to create workspace
// invites, revoke, copy. Admins only: a 404 for everyone else (the page does not reveal it exists).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { invitableRooms, listInvites } from "@/lib/invites/invites.service";
import { requireRole } from "@/lib/workspace/access";
import { InvitesAdmin } from "./invites-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.invites") };
}

export default async function AdminInvitesPage() {
  const user = await requireUser("/admin/invites");
  try {
    await requireRole(user.id, "admin", { hide: true });
    const [invites, rooms] = await Promise.all([listInvites(user), invitableRooms(user)]);
    return <InvitesAdmin initialInvites={invites} rooms={rooms} />;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}
