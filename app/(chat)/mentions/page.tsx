// /mentions: messages that mention me, newest first, each linking to its place in the room.
import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { listMentions } from "@/lib/search/search.service";
import { MessageCard, PageHeader } from "../_components/page-parts";

export const metadata: Metadata = { title: "Mentions" };

export default async function MentionsPage() {
  const user = await requireUser("/mentions");
  const mentions = await listMentions(user);
  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <PageHeader title="Mentions" />
      <div className="flex-1 overflow-y-auto p-4">
        {mentions.length === 0 ? (
          <p className="text-sm text-zinc-500">
            Nobody has mentioned you yet. When someone writes @{user.username}, it shows up here.
          </p>
        ) : (
          <ol className="max-w-3xl space-y-2" aria-label="Mentions">
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
