// /admin: the admin console (admins and owners only; a 404 for everyone else, here and in every page
// and /api/admin route). Tabs: Users, Rooms, Invites, Integrations, Bots, Commands, Settings, Audit log.
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { PageHeader } from "../_components/page-parts";
import { AdminTabs } from "./_components/admin-tabs";
import { requireAdminPage } from "./_components/require-admin";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminPage("/admin");
  const t = await getTranslations("admin");
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("console.title")} />
      <AdminTabs />
      <div className="flex-1 overflow-y-auto p-4">{children}</div>
    </div>
  );
}
