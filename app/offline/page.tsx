// The offline shell: public/sw.js caches this page when it installs (fetched without cookies: it
// holds nobody's data) and shows it in place of any page that cannot be reached.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RetryButton } from "./retry-button";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("chat.offline");
  return { title: t("title") };
}

export default async function OfflinePage() {
  const t = await getTranslations("chat.offline");
  return (
    <main className="flex min-h-full items-center justify-center bg-zinc-50 px-4 py-12 dark:bg-zinc-950">
      <div className="w-full max-w-sm rounded-xl border border-zinc-200 bg-white p-6 text-center shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <span
          aria-hidden
          className="mx-auto mb-4 grid size-9 place-items-center rounded-lg bg-indigo-600 text-lg font-bold text-white"
        >
          B
        </span>
        <h1 className="mb-2 text-balance text-lg font-semibold tracking-tight">{t("heading")}</h1>
        <p className="mb-5 text-sm text-zinc-600 dark:text-zinc-400">{t("body")}</p>
        <RetryButton />
      </div>
    </main>
  );
}
