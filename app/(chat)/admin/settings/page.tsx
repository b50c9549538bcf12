// /admin/settings: registration policy, default rooms, workspace name and logo text, two-factor policy.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { defaultRoomChoices } from "@/lib/admin/admin.service";
import { env } from "@/lib/env";
import { getTwoFactorPolicy, getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { requireAdminPage } from "../_components/require-admin";
import { TwoFactorPolicySetting } from "../_components/two-factor-policy";
import { SettingsForm } from "./settings-form";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.settings") };
}

export default async function AdminSettingsPage() {
  const { admin } = await requireAdminPage("/admin/settings");
  const [settings, rooms, twoFactor] = await Promise.all([
    getWorkspaceSettings(),
    defaultRoomChoices(admin),
    getTwoFactorPolicy(),
  ]);
  return (
    <div className="space-y-8">
      <SettingsForm initial={settings} rooms={rooms} uploadCeilingMb={env().MAX_UPLOAD_MB} />
      <TwoFactorPolicySetting initial={twoFactor} />
    </div>
  );
}
