// /admin/settings: registration policy, default rooms, workspace name and logo text.
import type { Metadata } from "next";
import { defaultRoomChoices } from "@/lib/admin/admin.service";
import { getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { requireAdminPage } from "../_components/require-admin";
import { SettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Settings · Admin" };

export default async function AdminSettingsPage() {
  const { admin } = await requireAdminPage("/admin/settings");
  const [settings, rooms] = await Promise.all([getWorkspaceSettings(), defaultRoomChoices(admin)]);
  return <SettingsForm initial={settings} rooms={rooms} />;
}
