"use client";
// One message: author line, formatted body, reply quote, reactions, and its actions (Reply, Edit,
// Delete, Add reaction, Copy link), reachable by keyboard, not only on hover.
import { type KeyboardEvent, memo, type ReactNode, useMemo, useState } from "react";
import { renderMarkdown } from "@/lib/messages/markdown";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { GroupedTime, Time } from "../../_components/local-time";
import { UserPresenceDot } from "../../_components/presence-dot";
import { UserCard, UserCardBody } from "../../_components/user-card";
import { MessageFiles } from "./attachments";
import { AvatarButton } from "./avatar-button";
import { PinIcon } from "./pinned-panel";
import { ReactionPicker } from "./reaction-picker";

export interface MessageActions {
  onReply(m: ChatMessage): void;
  onEdit(m: ChatMessage, body: string): Promise<string | undefined>;
  onDelete(m: ChatMessage): Promise<string | undefined>;
  /** Moderators: pin or unpin (the room header's pinned list). */
  onPin(m: ChatMessage, pinned: boolean): Promise<string | undefined>;
  onReact(m: ChatMessage, emoji: string): Promise<string | undefined>;
  onJump(seq: number): void;
  onCopyLink(m: ChatMessage): void;
  /** Open an attached image in the lightbox. */
  onOpenImage(fileId: string): void;
}

/** What a message says, for its label: its text, else what it carries. */
function summary(m: ChatMessage): string {
  if (m.deleted) return deletedText(m);
  const n = m.files?.length ?? 0;
  const files = n === 0 ? "" : n === 1 ? (m.files[0]?.name ?? "1 file") : `${n} files`;
  return [m.body.slice(0, 80), files].filter(Boolean).join(" · ");
}

export const MessageItem = memo(function MessageItem({
  m,
  grouped,
  me,
  canModerate,
  canAct,
  highlighted,
  actions,
}: {
  m: ChatMessage;
  grouped: boolean;
  /** `aliases`: my former usernames, so @old mentions of me are highlighted too. */
  me: { id: string; username: string; aliases?: readonly string[] };
  canModerate: boolean;
  canAct: boolean;
  highlighted: boolean;
  actions: MessageActions;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(m.body);
  const [error, setError] = useState<string>();
  const [picker, setPicker] = useState(false);
  const html = useMemo(
    () => (m.deleted ? "" : renderMarkdown(m.body, [me.username, ...(me.aliases ?? [])])),
    [m.body, m.deleted, me.username, me.aliases],
  );
  /** The @mention whose card is open (a click on a mention: current or former handle). */
  const [mentionCard, setMentionCard] = useState<string>();
  const mentionsMe = m.mentions.includes(me.id);
  const mine = m.author.id === me.id;

  async function save() {
    const err = await actions.onEdit(m, draft);
    if (err) return setError(err);
    setEditing(false);
    setError(undefined);
  }

  function onEditKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void save();
    } else if (e.key === "Escape") {
      setEditing(false);
      setDraft(m.body);
    }
  }

  return (
    <li
      id={`m-${m.seq}`}
      data-seq={m.seq}
      data-testid="message"
      data-deleted={m.deleted || undefined}
      data-pinned={m.pinned || undefined}
      aria-label={`${m.author.displayName}: ${summary(m)}`}
      className={`group relative flex gap-3 px-4 focus-within:bg-zinc-50 hover:bg-zinc-50 dark:focus-within:bg-zinc-900/60 dark:hover:bg-zinc-900/60 ${
        grouped ? "py-0.5" : "pb-0.5 pt-2"
      } ${mentionsMe ? "border-l-2 border-amber-400 bg-amber-50/70 dark:bg-amber-500/10" : ""} ${
        highlighted ? "bg-indigo-50 ring-2 ring-inset ring-indigo-300 dark:bg-indigo-500/10" : ""
      }`}
    >
      <div className="w-8 shrink-0">
        {grouped ? <GroupedTime iso={m.createdAt} /> : <AvatarButton author={m.author} />}
      </div>
      <div className="min-w-0 flex-1">
        {!grouped && (
          <div className="flex items-baseline gap-2">
            <UserCard username={m.author.username} displayName={m.author.displayName} meId={me.id} />
            <UserPresenceDot userId={m.author.id} />
            {m.author.deactivated && (
              <span className="text-sm text-zinc-500 dark:text-zinc-400">(deactivated)</span>
            )}
            <span className="text-xs text-zinc-500">@{m.author.username}</span>
            <Time iso={m.createdAt} />
            {m.pinned && (
              <span className="text-xs text-amber-700 dark:text-amber-400" data-testid="pinned-badge">
                <PinIcon /> Pinned
              </span>
            )}
          </div>
        )}
        {m.replyTo && (
          <button
            type="button"
            onClick={() => actions.onJump(m.replyTo?.seq ?? 0)}
            className="mb-0.5 flex max-w-full items-center gap-1 truncate rounded border-l-2 border-zinc-300 pl-2 text-left text-xs text-zinc-500 hover:text-zinc-800 dark:border-zinc-600 dark:hover:text-zinc-200"
            data-testid="reply-quote"
          >
            <span aria-hidden>↩</span>
            <span className="font-medium">{m.replyTo.authorName}</span>
            <span className="truncate">{m.replyTo.deleted ? "message deleted" : m.replyTo.snippet}</span>
          </button>
        )}
        {m.deleted ? (
          <p className="text-sm italic text-zinc-500" data-testid="message-body">
            {deletedText(m)}
          </p>
        ) : editing ? (
          <div>
            <textarea
              aria-label="Edit message"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onEditKey}
              className="input min-h-16"
              autoFocus
            />
            <div className="mt-1 flex gap-2 text-xs">
              <button type="button" className="btn-primary px-2 py-0.5 text-xs" onClick={() => void save()}>
                Save
              </button>
              <button
                type="button"
                className="btn-ghost px-2 py-0.5 text-xs"
                onClick={() => setEditing(false)}
              >
                Cancel
              </button>
              <span className="self-center text-zinc-500">Enter to save · Esc to cancel</span>
            </div>
          </div>
        ) : (
          <>
            {(m.body !== "" || !m.files?.length) && (
              <div className="message-body break-words text-sm leading-6" data-testid="message-body">
                {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a click on an @mention opens its card; the author name is the keyboard way */}
                <div
                  onClick={(e) => {
                    const el = (e.target as HTMLElement).closest?.(".mention");
                    const name = el?.getAttribute("data-username");
                    if (name) setMentionCard(mentionCard === name ? undefined : name);
                  }}
                  // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html:false never emits markup from the message
                  dangerouslySetInnerHTML={{ __html: html }}
                  className="message-md"
                />
                {m.editedAt && (
                  <span className="text-xs text-zinc-500" data-testid="edited">
                    {" "}
                    (edited)
                  </span>
                )}
              </div>
            )}
            {m.files?.length > 0 && <MessageFiles files={m.files} onOpen={actions.onOpenImage} />}
          </>
        )}
        {mentionCard && (
          <div
            role="dialog"
            aria-label={`Profile of @${mentionCard}`}
            className="mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <UserCardBody username={mentionCard} meId={me.id} />
            <button
              type="button"
              className="btn-ghost mt-1 px-2 py-0.5 text-xs"
              onClick={() => setMentionCard(undefined)}
            >
              Close
            </button>
          </div>
        )}
        {error && (
          <p role="alert" className="text-xs text-red-600">
            {error}
          </p>
        )}
        {m.reactions.length > 0 && (
          <ul className="mt-1 flex flex-wrap gap-1" aria-label="Reactions">
            {m.reactions.map((r) => {
              const reacted = r.users.some((u) => u.id === me.id);
              const who = `${r.users.map((u) => u.displayName).join(", ")}${r.count > r.users.length ? ` and ${r.count - r.users.length} more` : ""}`;
              return (
                <li key={r.emoji} className="group/reaction relative">
                  <button
                    type="button"
                    aria-pressed={reacted}
                    disabled={!canAct}
                    aria-label={`${r.emoji} ${r.count}, reacted by ${who}`}
                    onClick={() => void actions.onReact(m, r.emoji).then(setError)}
                    className={`rounded-full border px-2 text-sm leading-6 ${
                      reacted
                        ? "border-indigo-400 bg-indigo-50 dark:border-indigo-500 dark:bg-indigo-500/20"
                        : "border-zinc-200 bg-white hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900"
                    }`}
                  >
                    {r.emoji} <span className="text-xs tabular-nums">{r.count}</span>
                  </button>
                  <span
                    role="tooltip"
                    className="pointer-events-none absolute bottom-full left-0 z-20 mb-1 hidden w-max max-w-60 rounded bg-zinc-900 px-2 py-1 text-xs text-white shadow group-focus-within/reaction:block group-hover/reaction:block"
                  >
                    {who}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </div>
      {!m.deleted && !editing && (
        <div
          className="absolute -top-3 right-4 z-10 flex gap-0.5 rounded-md border border-zinc-200 bg-white p-0.5 opacity-0 shadow-sm focus-within:opacity-100 group-hover:opacity-100 dark:border-zinc-700 dark:bg-zinc-900"
          data-testid="message-actions"
        >
          {canAct && (
            <>
              <ActionButton label="Add reaction" icon="☺" onClick={() => setPicker((p) => !p)} />
              <ActionButton label="Reply" icon="↩" onClick={() => actions.onReply(m)} />
            </>
          )}
          {mine && canAct && (
            <ActionButton
              label="Edit"
              icon="✎"
              onClick={() => {
                setDraft(m.body);
                setEditing(true);
              }}
            />
          )}
          {canModerate && canAct && (
            <ActionButton
              label={m.pinned ? "Unpin message" : "Pin message"}
              icon={<PinIcon />}
              onClick={() => void actions.onPin(m, !m.pinned).then(setError)}
            />
          )}
          {(mine || canModerate) && (
            <ActionButton
              label={mine ? "Delete" : "Delete message"}
              icon={
                <svg
                  aria-hidden
                  viewBox="0 0 20 20"
                  className="size-4"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="1.6"
                >
                  <path d="M4 6h12M8 6V4h4v2M6 6l1 10h6l1-10" />
                </svg>
              }
              onClick={() => {
                const shown = mine ? "message deleted" : "removed by a moderator";
                if (window.confirm(`Delete this message? Everyone will see “${shown}”.`)) {
                  void actions.onDelete(m).then(setError);
                }
              }}
            />
          )}
          <ActionButton
            label="Copy link"
            icon={
              <svg
                aria-hidden
                viewBox="0 0 20 20"
                className="size-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
              >
                <path d="M8.5 11.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2L10 5.8M11.5 8.5a3 3 0 0 0-4.2 0l-2.6 2.6a3 3 0 0 0 4.2 4.2l1.1-1.1" />
              </svg>
            }
            onClick={() => actions.onCopyLink(m)}
          />
        </div>
      )}
      {picker && (
        <ReactionPicker
          onPick={(emoji) => {
            setPicker(false);
            void actions.onReact(m, emoji).then(setError);
          }}
          onClose={() => setPicker(false)}
        />
      )}
    </li>
  );
});

function deletedText(m: ChatMessage): string {
  return m.removedByModerator ? "removed by a moderator" : "message deleted";
}

function ActionButton({ label, icon, onClick }: { label: string; icon: ReactNode; onClick: () => void }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      className="grid size-7 place-items-center rounded text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
    >
      <span aria-hidden>{icon}</span>
    </button>
  );
}
