"use client";
// The room header's Files panel: every file shared in the room, newest first, paged by a keyset
// cursor (GET /api/rooms/:id/files?before=), each linked to its message.
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useState } from "react";
import { formatBytes } from "@/lib/files/display";
import { fileUrl, type RoomFilesPage, type RoomFileView } from "@/lib/files/files.schema";
import { apiFetch } from "../../_components/api";
import { TypeIcon } from "./attachments";

export function FilesPanel({ roomId }: { roomId: string }) {
  const t = useTranslations("room");
  const locale = useLocale();
  // In the reader's language and (in the browser) their own time zone.
  const when = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
    [locale],
  );
  const [files, setFiles] = useState<RoomFileView[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();

  const load = useCallback(
    async (before: string | null) => {
      setLoading(true);
      const qs = before ? `?before=${encodeURIComponent(before)}` : "";
      const res = await apiFetch<RoomFilesPage>(`/api/rooms/${roomId}/files${qs}`);
      setLoading(false);
      if (!res.ok) return setError(res.message);
      setError(undefined);
      setFiles((fs) => (before && fs ? [...fs, ...res.data.files] : res.data.files));
      setNext(res.data.nextBefore);
    },
    [roomId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <section
      id="files-panel"
      aria-label={t("files.files")}
      className="absolute end-2 top-full z-10 mt-1 flex max-h-[70vh] w-[22rem] max-w-[calc(100vw-1rem)] flex-col rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 className="mb-2 text-sm font-semibold">{t("files.files")}</h2>
      {error && (
        <p role="alert" className="mb-2 text-sm text-red-600 dark:text-red-400">
          {t("files.loadError", { error })}
        </p>
      )}
      {files === null ? (
        !error && <p className="text-sm text-zinc-500">{t("files.loading")}</p>
      ) : files.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("files.empty")}</p>
      ) : (
        <ul className="min-h-0 flex-1 space-y-2 overflow-y-auto" aria-label={t("files.inThisRoom")}>
          {files.map((f) => (
            <li key={f.id} className="flex items-center gap-2 text-sm" data-testid="room-file">
              {f.kind === "image" ? (
                // biome-ignore lint/performance/noImgElement: the file route checks access; next/image would proxy it
                <img
                  src={fileUrl(f.id, "thumb")}
                  alt=""
                  width={36}
                  height={40}
                  loading="lazy"
                  className="h-10 w-9 shrink-0 rounded-md object-cover"
                />
              ) : (
                <TypeIcon name={f.name} type={f.type} />
              )}
              <div className="min-w-0 flex-1">
                <a
                  href={fileUrl(f.id, undefined, true)}
                  download={f.name}
                  className="block truncate font-medium hover:underline"
                  title={t("files.downloadName", { name: f.name })}
                >
                  {f.name}
                </a>
                <p className="truncate text-xs text-zinc-500">
                  {formatBytes(f.size, locale)} · {f.author.displayName} ·{" "}
                  <time dateTime={f.createdAt} suppressHydrationWarning>
                    {when.format(new Date(f.createdAt))}
                  </time>
                </p>
              </div>
              <Link
                href={`/rooms/${roomId}?m=${f.seq}`}
                className="shrink-0 rounded px-1.5 py-0.5 text-xs text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-500/10"
                aria-label={t("files.goToMessage", { name: f.name })}
              >
                {t("files.message")}
              </Link>
            </li>
          ))}
        </ul>
      )}
      {next && (
        <button
          type="button"
          className="btn-secondary mt-2"
          disabled={loading}
          onClick={() => void load(next)}
        >
          {loading ? t("files.loading") : t("files.loadMore")}
        </button>
      )}
    </section>
  );
}
