// /mentions: messages that mention me, newest first, each linking to its place in the room.
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { listMentions } from "@/lib/search/search.service";

export const metadata: Metadata = { title: "Mentions" };

const when = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short" });

export default async function MentionsPage() {
  const user = await requireUser("/mentions");
  const mentions = await listMentions(user);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <header className="flex h-12 shrink-0 items-center border-b border-zinc-200 px-4 pl-14 dark:border-zinc-800 md:pl-4">
        <h1 className="font-semibold">Mentions</h1>
      </header>
      <div className="flex-1 overflow-y-auto p-4">
        {mentions.length === 0 ? (
          <p className="text-sm text-zinc-500">
            Nobody has mentioned you yet. When someone writes @{user.username}, it shows up here.
          </p>
        ) : (
          <ol className="max-w-3xl space-y-2" aria-label="Mentions">
            {mentions.map((m) => (
              <li key={m.messageId}>
                <Link
                  href={`/rooms/${m.roomId}?m=${m.seq}`}
                  className="block rounded-lg border border-zinc-200 p-3 hover:border-indigo-300 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
                >
                  <div className="mb-1 flex flex-wrap items-baseline gap-x-2 text-xs text-zinc-500">
                    <span className="font-medium text-zinc-700 dark:text-zinc-300">
                      {m.roomKind === "dm" ? "Direct message" : `#${m.roomName}`}
                    </span>
                    <span>{m.author.displayName}</span>
                    <time dateTime={m.createdAt}>{when.format(new Date(m.createdAt))}</time>
                  </div>
                  <p className="line-clamp-3 whitespace-pre-wrap break-words text-sm">{m.body}</p>
                </Link>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
