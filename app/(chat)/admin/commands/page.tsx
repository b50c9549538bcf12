// Admin console, Commands tab: custom slash commands (a bot answers them at a URL). Admins only.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { listSlashCommands } from "@/lib/commands/commands.service";
import { requireAdminPage } from "../_components/require-admin";
import { CommandsAdmin } from "./commands-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.commands") };
}

export default async function AdminCommandsPage() {
  const { admin } = await requireAdminPage("/admin/commands");
  return <CommandsAdmin initial={await listSlashCommands(admin)} />;
}
