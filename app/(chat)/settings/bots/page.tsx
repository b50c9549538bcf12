// /settings/bots: the bots I own (every bot for admins): create one, set its picture and details,
// give it tokens, deactivate it. Reached from Settings → Bots (and the admin console's Bots tab).
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { botPermissions, listBots } from "@/lib/bots/bots.service";
import { PageHeader } from "../../_components/page-parts";
import { BotsManager } from "./bots-manager";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: t("bots.title") };
}

export default async function BotsPage() {
  const user = await requireUser("/settings/bots");
  const [bots, perms, t] = await Promise.all([
    listBots(user),
    botPermissions(user),
    getTranslations("settings"),
  ]);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("bots.title")} />
      <div className="flex-1 overflow-y-auto">
        <div className="max-w-2xl space-y-6 p-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {t("bots.intro")} {perms.isAdmin ? t("bots.adminSees") : t("bots.ownerSees")}{" "}
            <Link href="/settings" className="text-indigo-700 underline dark:text-indigo-300">
              {t("bots.back")}
            </Link>
          </p>
          <BotsManager initial={bots} canCreate={perms.canCreate} />
        </div>
      </div>
    </div>
  );
}
