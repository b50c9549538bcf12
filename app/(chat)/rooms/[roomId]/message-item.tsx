"use client";
// One message: author line, formatted body, reply quote, reactions, and its actions (Reply, Edit,
// Delete, Add reaction, Copy link), reachable by keyboard, not only on hover.
import { useLocale, useTranslations } from "next-intl";
import { type KeyboardEvent, memo, type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import { renderMarkdown } from "@/lib/messages/markdown";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { BotBadge } from "../../_components/bot-badge";
import { GroupedTime, Time } from "../../_components/local-time";
import { UserPresenceDot } from "../../_components/presence-dot";
import { useDismiss } from "../../_components/use-dismiss";
import { useLongPress } from "../../_components/use-long-press";
import { UserCard, UserCardBody } from "../../_components/user-card";
import { MessageFiles } from "./attachments";
import { AvatarButton } from "./avatar-button";
import { HookCards } from "./hook-cards";
import { MessageActionSheet, type SheetAction } from "./message-action-sheet";
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
  /** Copy the message's text (the action sheet's "Copy text"). */
  onCopyText?(m: ChatMessage): void;
  /** Open an attached image in the lightbox. */
  onOpenImage(fileId: string): void;
}

/** Dispatched on window with the message's seq as detail: that message (mine) opens its edit box. */
export const EDIT_MESSAGE = "beacon:edit-message";

/** Keys that open a focused message's actions: Enter, ".", Shift+F10 and the context-menu key. */
function opensActions(e: KeyboardEvent): boolean {
  return e.key === "Enter" || e.key === "." || e.key === "ContextMenu" || (e.key === "F10" && e.shiftKey);
}

type T = ReturnType<typeof useTranslations<"room">>;

/** What a message says, for its label: its text, else what it carries. */
function summary(m: ChatMessage, t: T): string {
  if (m.deleted) return deletedText(m, t);
  const n = m.files?.length ?? 0;
  const files =
    n === 0 ? "" : n === 1 && m.files[0]?.name ? m.files[0].name : t("message.files", { count: n });
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
  const t = useTranslations("room");
  const locale = useLocale();
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
  const [sheet, setSheet] = useState(false);
  const hasActions = !m.deleted && !editing;
  const longPress = useLongPress(() => setSheet(true), hasActions);
  const card = useRef<HTMLDivElement>(null);
  useDismiss(mentionCard !== undefined, () => setMentionCard(undefined), { ref: card });

  // ↑ in an empty composer edits my last message (room-view finds it and names it by seq).
  useEffect(() => {
    if (!mine || !canAct || m.deleted) return;
    const onEdit = (e: Event) => {
      if ((e as CustomEvent<number>).detail !== m.seq) return;
      setDraft(m.body);
      setEditing(true);
    };
    window.addEventListener(EDIT_MESSAGE, onEdit);
    return () => window.removeEventListener(EDIT_MESSAGE, onEdit);
  }, [mine, canAct, m.deleted, m.seq, m.body]);

  function startEdit() {
    setDraft(m.body);
    setEditing(true);
  }
  function confirmDelete() {
    if (window.confirm(mine ? t("message.deleteConfirmOwn") : t("message.deleteConfirmModerator"))) {
      void actions.onDelete(m).then(setError);
    }
  }
  const togglePin = () => void actions.onPin(m, !m.pinned).then(setError);

  // The action sheet's list: the toolbar's actions plus "Copy text", in the same order.
  const sheetItems: SheetAction[] = [
    ...(canAct
      ? [
          { label: t("message.react"), icon: "☺", run: () => setPicker(true) },
          { label: t("message.reply"), icon: <ReplyGlyph />, run: () => actions.onReply(m) },
        ]
      : []),
    ...(mine && canAct ? [{ label: t("message.edit"), icon: "✎", run: startEdit }] : []),
    ...(canModerate && canAct
      ? [{ label: m.pinned ? t("message.unpin") : t("message.pin"), icon: <PinIcon />, run: togglePin }]
      : []),
    { label: t("message.copyLink"), icon: <LinkIcon />, run: () => actions.onCopyLink(m) },
    ...(m.body && actions.onCopyText
      ? [{ label: t("message.copyText"), icon: <CopyIcon />, run: () => actions.onCopyText?.(m) }]
      : []),
    ...(mine || canModerate
      ? [
          {
            label: mine ? t("message.delete") : t("message.deleteMessage"),
            icon: <TrashIcon />,
            run: confirmDelete,
            danger: true,
          },
        ]
      : []),
  ];

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
      e.preventDefault(); // handled: not also "mark the room read"
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
      aria-label={t("message.label", {
        author: m.meta?.username ?? m.author.displayName,
        summary: summary(m, t),
      })}
      data-roving-item
      {...longPress}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || !hasActions || !opensActions(e)) return;
        e.preventDefault();
        setSheet(true);
      }}
      className={`group relative flex gap-3 px-4 focus-within:bg-zinc-50 hover:bg-zinc-50 dark:focus-within:bg-zinc-900/60 dark:hover:bg-zinc-900/60 ${
        grouped ? "py-0.5" : "pb-0.5 pt-2"
      } ${mentionsMe ? "border-s-2 border-amber-400 bg-amber-50/70 dark:bg-amber-500/10" : ""} ${
        highlighted ? "bg-indigo-50 ring-2 ring-inset ring-indigo-300 dark:bg-indigo-500/10" : ""
      }`}
    >
      <div className="relative w-8 shrink-0">
        {grouped ? (
          <GroupedTime iso={m.createdAt} />
        ) : m.meta?.icon ? (
          <span
            role="img"
            aria-label={t("message.iconOf", { name: m.meta.username ?? m.author.displayName })}
            className="flex h-8 w-8 items-center justify-center rounded-full bg-zinc-100 text-lg dark:bg-zinc-800"
          >
            {m.meta.icon}
          </span>
        ) : (
          <AvatarButton author={m.author} />
        )}
      </div>
      <div className="min-w-0 flex-1">
        {!grouped && m.meta && (
          <div className="flex items-baseline gap-2" data-testid="hook-author">
            <span className="font-medium">{m.meta.username ?? m.author.displayName}</span>
            <span className="rounded bg-zinc-200 px-1 text-[10px] font-semibold uppercase tracking-wide text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200">
              {t("message.bot")}
            </span>
            <span className="text-xs text-zinc-500">{t("message.via", { via: m.meta.via })}</span>
            <Time iso={m.createdAt} />
            {m.pinned && (
              <span className="text-xs text-amber-700 dark:text-amber-400" data-testid="pinned-badge">
                <PinIcon /> {t("message.pinned")}
              </span>
            )}
          </div>
        )}
        {!grouped && !m.meta && (
          <div className="flex items-baseline gap-2">
            <UserCard username={m.author.username} displayName={m.author.displayName} meId={me.id} />
            <BotBadge show={m.author.isBot === true} />
            <UserPresenceDot userId={m.author.id} />
            {m.author.deactivated && (
              <span className="text-sm text-zinc-500 dark:text-zinc-400">{t("message.deactivated")}</span>
            )}
            <span dir="ltr" className="text-xs text-zinc-500">
              @{m.author.username}
            </span>
            <Time iso={m.createdAt} />
            {m.pinned && (
              <span className="text-xs text-amber-700 dark:text-amber-400" data-testid="pinned-badge">
                <PinIcon /> {t("message.pinned")}
              </span>
            )}
          </div>
        )}
        {m.replyTo && (
          <button
            type="button"
            onClick={() => actions.onJump(m.replyTo?.seq ?? 0)}
            className="mb-0.5 flex max-w-full items-center gap-1 truncate rounded border-s-2 border-zinc-300 ps-2 text-start text-xs text-zinc-500 hover:text-zinc-800 dark:border-zinc-600 dark:hover:text-zinc-200"
            data-testid="reply-quote"
          >
            <ReplyGlyph />
            <span className="font-medium">{m.replyTo.authorName}</span>
            <span className="truncate">{m.replyTo.deleted ? t("message.deleted") : m.replyTo.snippet}</span>
          </button>
        )}
        {m.deleted ? (
          <p className="text-sm italic text-zinc-500" data-testid="message-body">
            {deletedText(m, t)}
          </p>
        ) : editing ? (
          <div>
            <textarea
              aria-label={t("message.editLabel")}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={onEditKey}
              className="input min-h-16"
              autoFocus
            />
            <div className="mt-1 flex gap-2 text-xs">
              <button type="button" className="btn-primary px-2 py-0.5 text-xs" onClick={() => void save()}>
                {t("message.save")}
              </button>
              <button
                type="button"
                className="btn-ghost px-2 py-0.5 text-xs"
                onClick={() => setEditing(false)}
              >
                {t("message.cancel")}
              </button>
              <span className="self-center text-zinc-500">{t("message.editHelp")}</span>
            </div>
          </div>
        ) : (
          <>
            {(m.body !== "" || !m.files?.length) && (
              <div
                className={`message-body break-words text-sm leading-6 ${m.kind === "action" ? "italic" : ""}`}
                data-testid="message-body"
                data-kind={m.kind}
              >
                {/* "/me waves": *name* waves */}
                {m.kind === "action" && <span className="font-semibold">{m.author.displayName} </span>}
                {/* biome-ignore lint/a11y/useKeyWithClickEvents lint/a11y/noStaticElementInteractions: a click on an @mention opens its card; the author name is the keyboard way */}
                <div
                  className={m.kind === "action" ? "message-md inline [&>p]:inline" : "message-md"}
                  onClick={(e) => {
                    const el = (e.target as HTMLElement).closest?.(".mention");
                    const name = el?.getAttribute("data-username");
                    if (name) setMentionCard(mentionCard === name ? undefined : name);
                  }}
                  // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html:false never emits markup from the message
                  dangerouslySetInnerHTML={{ __html: html }}
                />
                {m.editedAt && (
                  <span className="text-xs text-zinc-500" data-testid="edited">
                    {" "}
                    {t("message.edited")}
                  </span>
                )}
              </div>
            )}
            {m.files?.length > 0 && <MessageFiles files={m.files} onOpen={actions.onOpenImage} />}
            {m.meta && m.meta.cards.length > 0 && <HookCards cards={m.meta.cards} />}
          </>
        )}
        {mentionCard && (
          <div
            ref={card}
            role="dialog"
            aria-label={t("message.profileOf", { username: mentionCard })}
            className="mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <UserCardBody username={mentionCard} meId={me.id} />
            <button
              type="button"
              className="btn-ghost mt-1 px-2 py-0.5 text-xs"
              onClick={() => setMentionCard(undefined)}
            >
              {t("message.close")}
            </button>
          </div>
        )}
        {error && (
          <p role="alert" className="text-xs text-red-600">
            {error}
          </p>
        )}
        {m.reactions.length > 0 && (
          <ul className="mt-1 flex flex-wrap gap-1" aria-label={t("message.reactions")}>
            {m.reactions.map((r) => {
              const reacted = r.users.some((u) => u.id === me.id);
              // "Ana, Bo, Cy" (a plain list, as the language writes one), then "and 2 more".
              const names = new Intl.ListFormat(locale, { type: "unit", style: "short" }).format(
                r.users.map((u) => u.displayName),
              );
              const who =
                r.count > r.users.length
                  ? t("message.reactedByMore", { names, count: r.count - r.users.length })
                  : names;
              return (
                <li key={r.emoji} className="group/reaction relative">
                  <button
                    type="button"
                    aria-pressed={reacted}
                    disabled={!canAct}
                    aria-label={t("message.reactionLabel", { emoji: r.emoji, count: r.count, who })}
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
                    className="pointer-events-none absolute bottom-full start-0 z-20 mb-1 hidden w-max max-w-60 rounded bg-zinc-900 px-2 py-1 text-xs text-white shadow group-focus-within/reaction:block group-hover/reaction:block"
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
          className="absolute -top-3 end-4 z-10 flex gap-0.5 rounded-md border border-zinc-200 bg-white p-0.5 opacity-0 shadow-sm focus-within:opacity-100 group-focus-visible:opacity-100 group-hover:opacity-100 dark:border-zinc-700 [@media(hover:none)]:hidden dark:bg-zinc-900"
          data-testid="message-actions"
        >
          {canAct && (
            <>
              <ActionButton label={t("message.addReaction")} icon="☺" onClick={() => setPicker((p) => !p)} />
              <ActionButton
                label={t("message.reply")}
                icon={<ReplyGlyph />}
                onClick={() => actions.onReply(m)}
              />
            </>
          )}
          {mine && canAct && <ActionButton label={t("message.edit")} icon="✎" onClick={startEdit} />}
          {canModerate && canAct && (
            <ActionButton
              label={m.pinned ? t("message.unpin") : t("message.pin")}
              icon={<PinIcon />}
              onClick={togglePin}
            />
          )}
          {(mine || canModerate) && (
            <ActionButton
              label={mine ? t("message.delete") : t("message.deleteMessage")}
              icon={<TrashIcon />}
              onClick={confirmDelete}
            />
          )}
          <ActionButton
            label={t("message.copyLink")}
            icon={<LinkIcon />}
            onClick={() => actions.onCopyLink(m)}
          />
        </div>
      )}
      {hasActions && (
        // Touch screens have no hover: a visible "⋯" opens the action sheet (so does a long press).
        <div className="hidden w-9 shrink-0 [@media(hover:none)]:block">
          <button
            type="button"
            aria-label={t("message.moreActions", { name: m.author.displayName })}
            aria-haspopup="dialog"
            onClick={() => setSheet(true)}
            className="grid size-9 place-items-center rounded-full text-lg text-zinc-500 active:bg-zinc-200 dark:text-zinc-400 dark:active:bg-zinc-800"
          >
            <span aria-hidden>⋯</span>
          </button>
        </div>
      )}
      {sheet && <MessageActionSheet m={m} items={sheetItems} onClose={() => setSheet(false)} />}
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

function deletedText(m: ChatMessage, t: T): string {
  return m.removedByModerator ? t("message.removedByModerator") : t("message.deleted");
}

/** The reply arrow (↩), pointing back the way the text runs (mirrored right-to-left). */
function ReplyGlyph() {
  return (
    <span aria-hidden className="inline-block rtl:-scale-x-100">
      ↩
    </span>
  );
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

function Icon({ d }: { d: string }) {
  return (
    <svg
      aria-hidden
      viewBox="0 0 20 20"
      className="size-4"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d={d} />
    </svg>
  );
}
const TrashIcon = () => <Icon d="M4 6h12M8 6V4h4v2M6 6l1 10h6l1-10" />;
const LinkIcon = () => (
  <Icon d="M8.5 11.5a3 3 0 0 0 4.2 0l2.6-2.6a3 3 0 0 0-4.2-4.2L10 5.8M11.5 8.5a3 3 0 0 0-4.2 0l-2.6 2.6a3 3 0 0 0 4.2 4.2l1.1-1.1" />
);
const CopyIcon = () => (
  <Icon d="M7 7V4.5A1.5 1.5 0 0 1 8.5 3h7A1.5 1.5 0 0 1 17 4.5v7a1.5 1.5 0 0 1-1.5 1.5H13M3 8.5A1.5 1.5 0 0 1 4.5 7h7A1.5 1.5 0 0 1 13 8.5v7a1.5 1.5 0 0 1-1.5 1.5h-7A1.5 1.5 0 0 1 3 15.5z" />
);
