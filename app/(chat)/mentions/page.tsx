// /mentions: messages that mention me, newest first, each linking to its place in the room.
import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { requireUser } from "@/lib/auth/session";
import { listMentions } from "@/lib/search/search.service";
import { MessageCard, PageHeader } from "../_components/page-parts";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pages.mentions");
  return { title: t("title") };
}

export default async function MentionsPage() {
  const user = await requireUser("/mentions");
  const [mentions, t] = await Promise.all([listMentions(user), getTranslations("pages.mentions")]);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title={t("title")} />
      <div className="flex-1 overflow-y-auto p-4">
        {mentions.length === 0 ? (
          <p className="text-sm text-zinc-500">
            {t.rich("empty", { username: user.username, handle: (c) => <bdi>{c}</bdi> })}
          </p>
        ) : (
          <ol className="max-w-3xl space-y-2" aria-label={t("title")}>
            {mentions.map((m) => (
              <li key={m.messageId}>
                <MessageCard hit={m}>
                  <p className="line-clamp-3 whitespace-pre-wrap break-words text-sm">{m.body}</p>
                </MessageCard>
              </li>
            ))}
          </ol>
        )}
      </div>
    </div>
  );
}
