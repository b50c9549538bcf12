// /settings/bots: the bots I own (every bot for admins): create one, set its picture and details,
// give it tokens, deactivate it. Reached from Settings → Bots (and the admin console's Bots tab).
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { botPermissions, listBots } from "@/lib/bots/bots.service";
import { PageHeader } from "../../_components/page-parts";
import { BotsManager } from "./bots-manager";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage() {
  const user = await requireUser("/settings/bots");
  const [bots, perms] = await Promise.all([listBots(user), botPermissions(user)]);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Bots" />
      <div className="flex-1 overflow-y-auto">
        <div className="max-w-2xl space-y-6 p-4">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            A bot is an account for a script or integration: it has its own name and picture, is added to
            rooms like a person, posts only through the API with its tokens (never through the browser), and
            its messages are marked BOT.{" "}
            {perms.isAdmin ? "As an admin you see every bot." : "You see the bots you own."}{" "}
            <Link href="/settings" className="text-indigo-700 underline dark:text-indigo-300">
              Back to Settings
            </Link>
          </p>
          <BotsManager initial={bots} canCreate={perms.canCreate} />
        </div>
      </div>
    </div>
  );
}
