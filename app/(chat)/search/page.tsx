// /search?q=: messages across every room and DM I may see, newest first, matches highlighted.
import type { Metadata } from "next";
import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import type { FileView } from "@/lib/files/files.schema";
import type { SearchHit } from "@/lib/search/search.schema";
import { searchMessages } from "@/lib/search/search.service";
import { Highlighted } from "../_components/highlighted";
import { HitFiles, MessageCard, PageHeader } from "../_components/page-parts";

/** A hit's attachments, when the search answer carries them. */
const hitFiles = (h: SearchHit & { files?: FileView[] }): FileView[] => h.files ?? [];

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pages");
  return { title: t("search.title") };
}

export default async function SearchPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; before?: string }>;
}) {
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const user = await requireUser(`/search?q=${encodeURIComponent(q)}`);
  const t = await getTranslations("pages");
  let result: Awaited<ReturnType<typeof searchMessages>> | null = null;
  let error: string | undefined;
  if (q.trim()) {
    try {
      result = await searchMessages(user, { q, before: sp.before || undefined });
    } catch (err) {
      error = err instanceof AppError ? err.message : t("search.failed");
    }
  }
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("search.title")} />
      <div className="flex-1 overflow-y-auto p-4">
        <form className="mb-2 flex max-w-2xl gap-2">
          <input
            type="search"
            name="q"
            defaultValue={q}
            aria-label={t("search.inputLabel")}
            placeholder={t("search.placeholder")}
            className="input"
            maxLength={200}
          />
          <button type="submit" className="btn-primary">
            {t("search.submit")}
          </button>
        </form>
        <p className="mb-4 text-xs text-zinc-500" id="search-help">
          {t.rich("search.help", { code: (c) => <code dir="ltr">{c}</code> })}
        </p>
        {error && (
          <p role="alert" className="text-sm text-red-600">
            {error}
          </p>
        )}
        {result && result.hits.length === 0 && (
          <p className="text-sm text-zinc-500">{t("search.noMatch", { q })}</p>
        )}
        {result && result.hits.length > 0 && (
          <ol className="max-w-3xl space-y-2" aria-label={t("search.results")}>
            {result.hits.map((h) => (
              <li key={h.messageId}>
                <MessageCard hit={h}>
                  {h.highlighted && (
                    <p className="text-sm" data-testid="search-hit">
                      <Highlighted text={h.highlighted} />
                    </p>
                  )}
                  {hitFiles(h).length > 0 && <HitFiles files={hitFiles(h)} />}
                </MessageCard>
              </li>
            ))}
          </ol>
        )}
        {result?.hasMore && (
          <Link
            className="btn-secondary mt-4"
            href={`/search?q=${encodeURIComponent(q)}&before=${result.hits.at(-1)?.messageId ?? ""}`}
          >
            {t("search.older")}
          </Link>
        )}
      </div>
    </div>
  );
}
