"use client";
// Messages grouped by author and day, a "New messages" divider at the first unread one, then my
// unconfirmed messages with their send state.
import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, useRef } from "react";
import { formatBytes } from "@/lib/files/display";
import { continuesGroup, type Groupable } from "@/lib/messages/grouping";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { SessionUser } from "@/lib/users/users.schema";
import { Avatar } from "../../_components/avatar";
import { Day } from "../../_components/local-time";
import { useRovingFocus } from "../../_components/use-roving-focus";
import { type MessageActions, MessageItem } from "./message-item";
import type { OutboxItem } from "./use-room-timeline";

const groupable = (m: ChatMessage): Groupable => ({
  authorId: m.author.id,
  createdAt: m.createdAt,
  isReply: Boolean(m.replyTo),
  standalone: Boolean(m.meta),
});

function dayKey(iso: string) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function Divider({ children, tone = "muted" }: { children: ReactNode; tone?: "muted" | "alert" }) {
  const line = tone === "alert" ? "bg-red-300 dark:bg-red-800" : "bg-zinc-200 dark:bg-zinc-800";
  return (
    <li className="my-2 flex items-center gap-3 px-4">
      <span className={`h-px flex-1 ${line}`} />
      <span
        className={`text-xs font-medium ${tone === "alert" ? "text-red-600 dark:text-red-400" : "text-zinc-500"}`}
        suppressHydrationWarning
      >
        {children}
      </span>
      <span className={`h-px flex-1 ${line}`} />
    </li>
  );
}

export function MessageList({
  messages,
  outbox,
  me,
  connected,
  firstUnreadSeq,
  highlightSeq,
  canModerate,
  canAct,
  actions,
  onRetry,
  onDiscard,
}: {
  messages: ChatMessage[];
  outbox: readonly OutboxItem[];
  me: SessionUser & { aliases?: readonly string[] };
  connected: boolean;
  firstUnreadSeq: number | null;
  highlightSeq: number | null;
  canModerate: boolean;
  canAct: boolean;
  actions: MessageActions;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}) {
  const t = useTranslations("room");
  const locale = useLocale();
  // One Tab stop for the whole list; arrow keys move between messages.
  const listRef = useRef<HTMLOListElement>(null);
  useRovingFocus(listRef);
  const rows: ReactNode[] = [];
  let prev: ChatMessage | undefined;
  for (const m of messages) {
    if (!prev || dayKey(prev.createdAt) !== dayKey(m.createdAt)) {
      rows.push(
        <Divider key={`day-${m.seq}`}>
          <Day iso={m.createdAt} />
        </Divider>,
      );
      prev = undefined;
    }
    if (firstUnreadSeq !== null && m.seq === firstUnreadSeq) {
      rows.push(
        <Divider key="unread" tone="alert">
          <span data-testid="unread-divider">{t("list.newMessages")}</span>
        </Divider>,
      );
      prev = undefined;
    }
    const grouped = continuesGroup(prev && groupable(prev), groupable(m));
    rows.push(
      <MessageItem
        key={m.seq}
        m={m}
        grouped={grouped}
        me={me}
        canModerate={canModerate}
        canAct={canAct}
        highlighted={highlightSeq === m.seq}
        actions={actions}
      />,
    );
    prev = m;
  }
  // My queued messages group like sent ones: a burst shows one author row.
  let last: Groupable | undefined = prev && groupable(prev);
  const pendingGrouped = outbox.map((item) => {
    const g: Groupable = { authorId: me.id, createdAt: item.createdAt, isReply: Boolean(item.replyToId) };
    const grouped = continuesGroup(last, g);
    last = g;
    return grouped;
  });
  return (
    <ol ref={listRef} className="pb-2">
      {rows}
      {outbox.map((item, i) => (
        <li
          key={item.clientId}
          data-testid="pending-message"
          data-status={item.status}
          data-grouped={pendingGrouped[i] || undefined}
          className={`flex gap-3 px-4 ${pendingGrouped[i] ? "py-0.5" : "pb-0.5 pt-2"}`}
        >
          <div className="w-8 shrink-0">{!pendingGrouped[i] && <Avatar user={me} />}</div>
          <div className="min-w-0 flex-1">
            {/* Under a group's row, a waiting message's state is the row's: said only to screen readers. */}
            <div
              className={
                pendingGrouped[i] && item.status === "pending" && !item.error
                  ? "sr-only"
                  : "flex items-baseline gap-2"
              }
            >
              {!pendingGrouped[i] && <span className="text-sm font-semibold">{me.displayName}</span>}
              <span
                className={`text-xs ${item.status === "failed" ? "text-red-600 dark:text-red-400" : "text-zinc-500"}`}
              >
                {item.status === "failed"
                  ? item.error
                    ? t("list.notSent", { error: item.error })
                    : t("list.notSentUnknown")
                  : (item.error ?? (connected ? t("list.sending") : t("list.waiting")))}
              </span>
            </div>
            <p
              className={`whitespace-pre-wrap break-words text-sm leading-6 ${item.status === "pending" ? "opacity-60" : ""}`}
            >
              {item.body}
            </p>
            {item.files && item.files.length > 0 && (
              <ul className="mt-0.5 flex flex-wrap gap-1.5 opacity-60" aria-label={t("files.files")}>
                {item.files.map((f) => (
                  <li
                    key={f.id}
                    className="rounded border border-zinc-200 px-1.5 py-0.5 text-xs dark:border-zinc-700"
                  >
                    {f.name} <span className="text-zinc-500">{formatBytes(f.size, locale)}</span>
                  </li>
                ))}
              </ul>
            )}
            {item.status === "failed" && (
              <div className="mt-1 flex gap-2">
                <button
                  type="button"
                  className="btn-secondary px-2 py-0.5 text-xs"
                  onClick={() => onRetry(item.clientId)}
                >
                  {t("list.retry")}
                </button>
                <button
                  type="button"
                  className="btn-ghost px-2 py-0.5 text-xs"
                  onClick={() => onDiscard(item.clientId)}
                >
                  {t("list.discard")}
                </button>
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
