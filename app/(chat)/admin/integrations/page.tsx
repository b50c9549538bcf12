// Admin console, Integrations tab: every incoming and outgoing webhook, their delivery logs, and
// forms to create them for any room. Admins only (the layout and this page are a 404 for others).
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { IntegrationsPanel } from "@/app/(chat)/_components/integrations-panel";
import { hookableRooms, listHooks } from "@/lib/webhooks/webhooks.service";
import { requireAdminPage } from "../_components/require-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.integrations") };
}

export default async function AdminIntegrationsPage() {
  const { user } = await requireAdminPage("/admin/integrations");
  const [lists, rooms] = await Promise.all([listHooks(user), hookableRooms(user)]);
  return <IntegrationsPanel initial={lists} rooms={rooms} />;
}
