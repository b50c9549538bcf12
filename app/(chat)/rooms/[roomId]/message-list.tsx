"use client";
// Messages grouped by author and day; my unconfirmed messages follow with their send state.
import { memo } from "react";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { SessionUser } from "@/lib/users/users.schema";
import { Avatar } from "../../_components/shell";
import type { OutboxItem } from "./use-room-timeline";

const GROUP_MS = 5 * 60 * 1000;

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat(undefined, {
  weekday: "long",
  month: "long",
  day: "numeric",
  year: "numeric",
});
const fullFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });

function Time({ iso }: { iso: string }) {
  const d = new Date(iso);
  return (
    <time
      dateTime={iso}
      title={fullFmt.format(d)}
      suppressHydrationWarning
      className="text-xs text-zinc-500 tabular-nums"
    >
      {timeFmt.format(d)}
    </time>
  );
}

function dayKey(iso: string) {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

const Row = memo(function Row({ m, grouped }: { m: ChatMessage; grouped: boolean }) {
  return (
    <li
      data-seq={m.seq}
      data-testid="message"
      className={`group flex gap-3 px-4 hover:bg-zinc-50 dark:hover:bg-zinc-900/60 ${grouped ? "py-0.5" : "pt-2 pb-0.5"}`}
    >
      <div className="w-8 shrink-0">{grouped ? null : <Avatar name={m.author.displayName} />}</div>
      <div className="min-w-0 flex-1">
        {!grouped && (
          <div className="flex items-baseline gap-2">
            <span className="text-sm font-semibold">{m.author.displayName}</span>
            <span className="text-xs text-zinc-500">@{m.author.username}</span>
            <Time iso={m.createdAt} />
          </div>
        )}
        <p className="whitespace-pre-wrap break-words text-sm leading-6" data-testid="message-body">
          {m.body}
        </p>
      </div>
    </li>
  );
});

export function MessageList({
  messages,
  outbox,
  me,
  connected,
  onRetry,
  onDiscard,
}: {
  messages: ChatMessage[];
  outbox: OutboxItem[];
  me: SessionUser;
  connected: boolean;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
}) {
  const rows: React.ReactNode[] = [];
  let prev: ChatMessage | undefined;
  for (const m of messages) {
    if (!prev || dayKey(prev.createdAt) !== dayKey(m.createdAt)) {
      rows.push(
        <li key={`day-${m.seq}`} className="my-2 flex items-center gap-3 px-4" aria-hidden>
          <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          <span className="text-xs font-medium text-zinc-500" suppressHydrationWarning>
            {dayFmt.format(new Date(m.createdAt))}
          </span>
          <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        </li>,
      );
      prev = undefined;
    }
    const grouped =
      prev !== undefined &&
      prev.author.id === m.author.id &&
      new Date(m.createdAt).getTime() - new Date(prev.createdAt).getTime() < GROUP_MS;
    rows.push(<Row key={m.seq} m={m} grouped={grouped} />);
    prev = m;
  }
  return (
    <ol className="pb-2">
      {rows}
      {outbox.map((item) => (
        <li
          key={item.clientId}
          data-testid="pending-message"
          data-status={item.status}
          className="flex gap-3 px-4 py-1"
        >
          <div className="w-8 shrink-0">
            <Avatar name={me.displayName} />
          </div>
          <div className="min-w-0 flex-1">
            <div className="flex items-baseline gap-2">
              <span className="text-sm font-semibold">{me.displayName}</span>
              <span
                className={`text-xs ${item.status === "failed" ? "text-red-600 dark:text-red-400" : "text-zinc-500"}`}
              >
                {item.status === "failed"
                  ? `Not sent: ${item.error ?? "failed"}`
                  : connected
                    ? "Sending…"
                    : "Waiting for connection…"}
              </span>
            </div>
            <p
              className={`whitespace-pre-wrap break-words text-sm leading-6 ${item.status === "pending" ? "opacity-60" : ""}`}
            >
              {item.body}
            </p>
            {item.status === "failed" && (
              <div className="mt-1 flex gap-2">
                <button
                  type="button"
                  className="btn-secondary px-2 py-0.5 text-xs"
                  onClick={() => onRetry(item.clientId)}
                >
                  Retry
                </button>
                <button
                  type="button"
                  className="btn-ghost px-2 py-0.5 text-xs"
                  onClick={() => onDiscard(item.clientId)}
                >
                  Discard
                </button>
              </div>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
