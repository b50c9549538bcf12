// /admin/bots: every bot in the workspace with its owner and state. Managing them (picture, tokens,
// deactivation) happens on Settings → Bots, where admins also see every bot.
import type { Metadata } from "next";
import Link from "next/link";
import { listBots } from "@/lib/bots/bots.service";
import { BotBadge } from "../../_components/bot-badge";
import { requireAdminPage } from "../_components/require-admin";

export const metadata: Metadata = { title: "Bots · Admin" };

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium" });

export default async function AdminBotsPage() {
  const { admin } = await requireAdminPage("/admin/bots");
  const bots = await listBots(admin);
  return (
    <section aria-labelledby="bots-title">
      <h2 id="bots-title" className="sr-only">
        Bots
      </h2>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        Bot accounts act only with API tokens. When a bot's owner is deactivated, the bot passes to the admin
        who deactivated them.{" "}
        <Link href="/settings/bots" className="text-indigo-700 underline dark:text-indigo-300">
          Create and manage bots
        </Link>
      </p>
      {bots.length === 0 ? (
        <p className="text-sm text-zinc-500">No bots yet.</p>
      ) : (
        // A table wider than a phone scrolls sideways: focusable, so the keyboard can scroll it too.
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-label="Bots"
          className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[36rem] text-start text-sm">
            <caption className="sr-only">Bots in this workspace</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Bot
                </th>
                <th scope="col" className="px-3 py-2">
                  Owner
                </th>
                <th scope="col" className="px-3 py-2">
                  Created
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {bots.map((b) => (
                <tr key={b.id}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{b.displayName}</span> <BotBadge />{" "}
                    <span className="text-zinc-500">@{b.username}</span>
                  </td>
                  <td className="px-3 py-2">
                    {b.owner ? `${b.owner.displayName} (@${b.owner.username})` : "—"}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={b.createdAt}>{when.format(new Date(b.createdAt))}</time>
                  </td>
                  <td className="px-3 py-2">{b.deactivated ? "Deactivated" : "Active"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
