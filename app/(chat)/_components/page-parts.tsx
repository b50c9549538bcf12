// Shared pieces of the list pages (browse, search, mentions, settings): the header bar and the card
// that links a message to its place in its room. Used by server and client components alike
// (useTranslations works in both).
import Link from "next/link";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { fileBadge, formatBytes } from "@/lib/files/display";
import { type FileView, fileUrl } from "@/lib/files/files.schema";
import { BotBadge } from "./bot-badge";
import { DateTime } from "./local-time";

export function PageHeader({ title }: { title: string }) {
  return (
    <header className="flex h-12 shrink-0 items-center border-b border-zinc-200 px-4 ps-24 dark:border-zinc-800 md:ps-4">
      <h1 className="font-semibold">{title}</h1>
    </header>
  );
}

export function MessageCard({
  hit,
  children,
}: {
  hit: {
    roomId: string;
    seq: number;
    roomKind: string;
    roomName: string;
    createdAt: string;
    author: { displayName: string; deactivated?: boolean; isBot?: boolean };
  };
  children: ReactNode;
}) {
  const t = useTranslations("chat.pageParts");
  return (
    <Link
      href={`/rooms/${hit.roomId}?m=${hit.seq}`}
      className="block rounded-lg border border-zinc-200 p-3 hover:border-indigo-300 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
    >
      <div className="mb-1 flex flex-wrap items-baseline gap-x-2 text-xs text-zinc-500">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">
          {hit.roomKind === "dm" ? t("directMessage") : <bdi>#{hit.roomName}</bdi>}
        </span>
        <span>
          {hit.author.deactivated
            ? t("deactivatedAuthor", { name: hit.author.displayName })
            : hit.author.displayName}
        </span>
        <BotBadge show={hit.author.isBot === true} />
        <DateTime iso={hit.createdAt} />
      </div>
      {children}
    </Link>
  );
}

/**
 * A found message's attachments inside its card (which is itself a link to the message): image
 * thumbnails and file names with their sizes, without links of their own.
 */
export function HitFiles({ files }: { files: readonly FileView[] }) {
  const t = useTranslations("chat.pageParts");
  return (
    <ul className="mt-1.5 flex flex-wrap gap-1.5" aria-label={t("attachments")} data-testid="hit-files">
      {files.map((f) =>
        f.kind === "image" ? (
          <li key={f.id}>
            {/* biome-ignore lint/performance/noImgElement: the file route checks access; next/image would proxy it */}
            <img
              src={fileUrl(f.id, "thumb")}
              alt={f.name}
              width={96}
              height={72}
              loading="lazy"
              className="h-18 w-24 rounded-md border border-zinc-200 object-cover dark:border-zinc-700"
            />
          </li>
        ) : (
          <li
            key={f.id}
            className="flex items-center gap-1.5 rounded-md border border-zinc-200 px-2 py-1 text-xs dark:border-zinc-700"
          >
            <span className="rounded bg-zinc-200 px-1 text-[0.6rem] font-bold dark:bg-zinc-700">
              {fileBadge(f.name, f.type).label}
            </span>
            <span className="max-w-48 truncate font-medium">{f.name}</span>
            <span className="text-zinc-500">{formatBytes(f.size)}</span>
          </li>
        ),
      )}
    </ul>
  );
}
