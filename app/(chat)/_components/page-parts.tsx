// Shared pieces of the list pages (browse, search, mentions, settings): the header bar and the card
// that links a message to its place in its room.
import Link from "next/link";
import type { ReactNode } from "react";

export function PageHeader({ title }: { title: string }) {
  return (
    <header className="flex h-12 shrink-0 items-center border-b border-zinc-200 px-4 pl-14 dark:border-zinc-800 md:pl-4">
      <h1 className="font-semibold">{title}</h1>
    </header>
  );
}

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

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
    author: { displayName: string; deactivated?: boolean };
  };
  children: ReactNode;
}) {
  return (
    <Link
      href={`/rooms/${hit.roomId}?m=${hit.seq}`}
      className="block rounded-lg border border-zinc-200 p-3 hover:border-indigo-300 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
    >
      <div className="mb-1 flex flex-wrap items-baseline gap-x-2 text-xs text-zinc-500">
        <span className="font-medium text-zinc-700 dark:text-zinc-300">
          {hit.roomKind === "dm" ? "Direct message" : `#${hit.roomName}`}
        </span>
        <span>
          {hit.author.displayName}
          {hit.author.deactivated && " (deactivated)"}
        </span>
        <time dateTime={hit.createdAt}>{when.format(new Date(hit.createdAt))}</time>
      </div>
      {children}
    </Link>
  );
}
