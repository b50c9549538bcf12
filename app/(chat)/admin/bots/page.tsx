// /admin/bots: every bot in the workspace with its owner and state. Managing them (picture, tokens,
// deactivation) happens on Settings → Bots, where admins also see every bot.
import type { Metadata } from "next";
import Link from "next/link";
import { getFormatter, getTranslations } from "next-intl/server";
import { listBots } from "@/lib/bots/bots.service";
import { BotBadge } from "../../_components/bot-badge";
import { requireAdminPage } from "../_components/require-admin";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("admin");
  return { title: t("titles.bots") };
}

export default async function AdminBotsPage() {
  const { admin } = await requireAdminPage("/admin/bots");
  const [bots, t, format] = await Promise.all([
    listBots(admin),
    getTranslations("admin.bots"),
    getFormatter(),
  ]);
  return (
    <section aria-labelledby="bots-title">
      <h2 id="bots-title" className="sr-only">
        {t("title")}
      </h2>
      <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
        {t("intro")}{" "}
        <Link href="/settings/bots" className="text-indigo-700 underline dark:text-indigo-300">
          {t("manage")}
        </Link>
      </p>
      {bots.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("empty")}</p>
      ) : (
        // A table wider than a phone scrolls sideways: focusable, so the keyboard can scroll it too.
        <section
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
          tabIndex={0}
          aria-label={t("title")}
          className="overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800"
        >
          <table className="w-full min-w-[36rem] text-start text-sm">
            <caption className="sr-only">{t("caption")}</caption>
            <thead className="bg-zinc-50 text-xs uppercase text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("bot")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("owner")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("created")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("state")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {bots.map((b) => (
                <tr key={b.id}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{b.displayName}</span> <BotBadge />{" "}
                    <bdi className="text-zinc-500">@{b.username}</bdi>
                  </td>
                  <td className="px-3 py-2">
                    {b.owner ? (
                      <bdi>{t("ownerName", { name: b.owner.displayName, username: b.owner.username })}</bdi>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <time dateTime={b.createdAt}>
                      {format.dateTime(new Date(b.createdAt), { dateStyle: "medium" })}
                    </time>
                  </td>
                  <td className="px-3 py-2">{t(b.deactivated ? "deactivated" : "active")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
