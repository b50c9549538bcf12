"use client";
// Message composer: Enter sends, Shift+Enter adds a line; empty messages cannot be sent and the
// length limit is enforced with the server's own schema. "@" autocompletes the room's members;
// a reply shows what it answers. Files come by the "Attach files" button, a drop on the room or a
// paste; each uploads at once with its own chip (progress, cancel, retry), and the message (text
// optional) goes out only once all of its files are stored.
import { useTranslations } from "next-intl";
import { type ClipboardEvent, type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import { parseComposerText } from "@/lib/commands/commands.schema";
import type { FileView } from "@/lib/files/files.schema";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { MAX_MESSAGE_LENGTH, messageBodySchema } from "@/lib/messages/messages.schema";
import type { MemberView } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "../../_components/api";
import { Avatar } from "../../_components/avatar";
import { layerOpen } from "../../_components/use-dismiss";
import { UploadChips } from "./attachments";
import { COMMAND_MENU_ID, CommandMenu, useCommandMenu } from "./command-menu";
import { useDraft } from "./use-draft";
import type { Uploads } from "./use-uploads";

/** The "@partial" being typed just before the caret, if any. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const m = /(^|[\s(])@([a-z0-9_.-]{0,32})$/i.exec(text.slice(0, caret));
  if (!m) return null;
  return { start: caret - (m[2]?.length ?? 0) - 1, query: (m[2] ?? "").toLowerCase() };
}

export function Composer({
  roomId,
  roomName,
  onSend,
  onTyping,
  typingLabel,
  replyTo,
  onCancelReply,
  uploads,
  connected,
  onCommand,
  onEditLast,
  onMarkRead,
  draft = "",
}: {
  roomId: string;
  roomName: string;
  onSend: (body: string, files: FileView[]) => void;
  onTyping?: (text: string) => void;
  typingLabel?: string;
  replyTo?: ChatMessage | null;
  onCancelReply?: () => void;
  uploads: Uploads;
  /** Uploads need the server now; text queues in the outbox while offline. */
  connected: boolean;
  /** Runs "/command args" (command-menu.tsx useCommands); resolves with an error to show, if any. */
  onCommand?: (text: string) => Promise<{ error?: string }>;
  /** ↑ in the empty composer: edit my last message (false when there is none). */
  onEditLast?: () => boolean;
  /** Esc in the empty composer with nothing open: mark the room read. */
  onMarkRead?: () => void;
  /** My saved draft in this room (server-rendered), kept in sync by useDraft. */
  draft?: string;
}) {
  const t = useTranslations("room");
  const ref = useRef<HTMLTextAreaElement>(null);
  const [value, setValue] = useDraft(roomId, draft, ref);
  const [error, setError] = useState<string>();
  // One members request per room, shared by every keystroke that needs it.
  const members = useRef<{ roomId: string; list: Promise<MemberView[]> } | null>(null);
  const [suggest, setSuggest] = useState<{ start: number; items: MemberView[]; active: number } | null>(null);
  const picker = useRef<HTMLInputElement>(null);
  const menu = useCommandMenu(roomId, value, setValue, () =>
    requestAnimationFrame(() => ref.current?.focus()),
  );
  const length = value.trim().length;
  const tooLong = length > MAX_MESSAGE_LENGTH;
  const hasFiles = uploads.files.length > 0;
  // Why Send is off while there is something to send (said next to it, not only by a grey button).
  const blocked = uploads.uploading
    ? t("composer.waitingForUploads")
    : uploads.failed
      ? t("composer.failedUpload")
      : undefined;
  const canSend = !blocked && (length > 0 || uploads.stored.length > 0);

  useEffect(() => {
    if (replyTo) ref.current?.focus();
  }, [replyTo]);

  // Opening a room puts the caret here for mouse-and-keyboard users (not on touch screens, where
  // it would raise the on-screen keyboard on every room open).
  // biome-ignore lint/correctness/useExhaustiveDependencies: roomId is the trigger
  useEffect(() => {
    if (!window.matchMedia("(pointer: fine)").matches || layerOpen()) return;
    ref.current?.focus({ preventScroll: true });
  }, [roomId]);

  async function updateSuggestions(text: string, caret: number) {
    const q = mentionQuery(text, caret);
    if (!q) return setSuggest(null);
    if (members.current?.roomId !== roomId) {
      const list = apiFetch<{ members: MemberView[] }>(`/api/rooms/${roomId}/members`).then((res) =>
        res.ok ? res.data.members : [],
      );
      members.current = { roomId, list };
    }
    const list = await members.current.list;
    // An answer that arrives after the text moved on (a name was already picked, more was typed)
    // must not reopen the list: Enter would pick again instead of sending.
    const el = ref.current;
    if (!el || el.value !== text || (el.selectionStart ?? text.length) !== caret) return;
    const items = list
      .filter((m) => m.username.startsWith(q.query) || m.displayName.toLowerCase().startsWith(q.query))
      .slice(0, 8);
    setSuggest(items.length > 0 ? { start: q.start, items, active: 0 } : null);
  }

  function complete(member: MemberView) {
    const el = ref.current;
    if (!el || !suggest) return;
    const caret = el.selectionStart ?? value.length;
    const next = `${value.slice(0, suggest.start)}@${member.username} ${value.slice(caret)}`;
    setValue(next);
    setSuggest(null);
    const pos = suggest.start + member.username.length + 2;
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(pos, pos);
    });
  }

  function submit(e?: FormEvent) {
    e?.preventDefault();
    if (blocked) return;
    const files = uploads.stored;
    // "/name args" runs a command (never sent as a message); "//text" sends "/text".
    const typed = parseComposerText(value.trim());
    if (typed.type === "command" && onCommand) return runCommand(value.trim(), files.length > 0);
    let body = "";
    if (value.trim() !== "" || files.length === 0) {
      const parsed = messageBodySchema.safeParse(typed.type === "message" ? typed.body : value);
      if (!parsed.success) {
        if (value.trim() === "") return; // nothing to send
        setError(parsed.error.issues[0]?.message ?? t("composer.cannotSend"));
        return;
      }
      body = parsed.data;
    }
    setError(undefined);
    onSend(body, files);
    uploads.clear();
    setValue("");
    setSuggest(null);
    onTyping?.("");
    requestAnimationFrame(() => ref.current?.focus());
  }

  function runCommand(text: string, withFiles: boolean) {
    if (!onCommand) return;
    if (withFiles) return setError(t("composer.commandWithFiles"));
    setError(undefined);
    setValue("");
    onTyping?.("");
    void onCommand(text).then(({ error }) => {
      if (!error) return;
      setError(error);
      if ((ref.current?.value ?? "") === "") setValue(text); // give the command back to fix it
    });
  }

  function addFiles(list: Iterable<File>, opts?: { pasted?: boolean }) {
    if (!connected) return setError(t("composer.filesOffline"));
    setError(undefined);
    uploads.add(list, opts);
  }

  // A pasted screenshot (or copied image file) becomes an attachment; pasted text stays text.
  function onPaste(e: ClipboardEvent<HTMLTextAreaElement>) {
    const files = [...e.clipboardData.files];
    if (files.length === 0) return;
    e.preventDefault();
    addFiles(files, { pasted: true });
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (menu.onKeyDown(e)) return;
    if (suggest) {
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        const delta = e.key === "ArrowDown" ? 1 : -1;
        setSuggest({
          ...suggest,
          active: (suggest.active + delta + suggest.items.length) % suggest.items.length,
        });
        return;
      }
      if (e.key === "Enter" || e.key === "Tab") {
        e.preventDefault();
        complete(suggest.items[suggest.active] as MemberView);
        return;
      }
      if (e.key === "Escape") {
        e.preventDefault(); // handled: closes the list only
        setSuggest(null);
        return;
      }
    }
    const plain = !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey;
    if (e.key === "ArrowUp" && plain && value === "" && !hasFiles && onEditLast?.()) {
      e.preventDefault();
      return;
    }
    if (e.key === "Escape" && replyTo) {
      e.preventDefault();
      onCancelReply?.();
      return;
    }
    if (e.key === "Escape" && plain && value === "" && !e.defaultPrevented && !layerOpen()) {
      onMarkRead?.();
    }
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }

  return (
    <form onSubmit={submit} className="relative border-t border-zinc-200 px-4 pb-4 pt-1 dark:border-zinc-800">
      <p aria-live="polite" className="h-5 truncate text-xs italic text-zinc-500" data-testid="typing">
        {typingLabel}
      </p>
      {replyTo && (
        <div className="mb-1 flex items-center gap-2 rounded-t-md border-s-2 border-indigo-400 bg-zinc-50 px-2 py-1 text-xs dark:bg-zinc-900">
          <span className="min-w-0 flex-1 truncate" data-testid="replying-to">
            {t.rich("composer.replyingTo", {
              name: replyTo.author.displayName,
              snippet: replyTo.body.slice(0, 120),
              b: (c) => <strong>{c}</strong>,
            })}
          </span>
          <button type="button" className="btn-ghost px-1.5 py-0 text-xs" onClick={onCancelReply}>
            {t("composer.cancelReply")}
          </button>
        </div>
      )}
      {suggest && (
        <div
          id="mention-suggestions"
          role="listbox"
          aria-label={t("composer.mentionSomeone")}
          className="absolute bottom-full start-4 z-20 mb-1 w-64 overflow-hidden rounded-md border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {suggest.items.map((m, i) => (
            <div
              key={m.id}
              role="option"
              aria-selected={i === suggest.active}
              tabIndex={-1}
              onMouseDown={(e) => {
                e.preventDefault();
                complete(m);
              }}
              onKeyDown={() => {}}
              className={`cursor-pointer px-2 py-1 text-sm ${i === suggest.active ? "bg-indigo-50 dark:bg-indigo-500/20" : ""}`}
            >
              <span className="flex items-center gap-2">
                <Avatar user={m} size={20} />
                <span className="truncate">
                  {m.displayName}{" "}
                  <span dir="ltr" className="text-zinc-500">
                    @{m.username}
                  </span>
                </span>
              </span>
            </div>
          ))}
        </div>
      )}
      <CommandMenu menu={menu} />
      {hasFiles && <UploadChips uploads={uploads} />}
      <div className="flex items-end gap-2 rounded-lg border border-zinc-300 bg-white p-2 focus-within:border-indigo-500 focus-within:ring-2 focus-within:ring-indigo-500/30 dark:border-zinc-700 dark:bg-zinc-900">
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          aria-hidden
          data-testid="file-input"
          onChange={(e) => {
            if (e.target.files) addFiles([...e.target.files]);
            e.target.value = ""; // the same file may be picked again
          }}
        />
        <button
          type="button"
          aria-label={t("composer.attachFiles")}
          title={connected ? t("composer.attachFiles") : t("composer.filesNeedConnection")}
          disabled={!connected}
          onClick={() => picker.current?.click()}
          className="grid size-8 shrink-0 place-items-center rounded-md text-zinc-500 hover:bg-zinc-100 hover:text-zinc-900 disabled:cursor-not-allowed disabled:opacity-50 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <svg
            aria-hidden
            viewBox="0 0 20 20"
            className="size-5"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
          >
            <path d="M13.5 6.5 8 12a1.5 1.5 0 0 0 2.1 2.1l5.6-5.6a3 3 0 0 0-4.2-4.2L5.8 10a4.5 4.5 0 0 0 6.4 6.4l4.3-4.3" />
          </svg>
        </button>
        <textarea
          ref={ref}
          id="composer"
          aria-label={t("composer.message")}
          aria-controls={menu.open ? COMMAND_MENU_ID : suggest ? "mention-suggestions" : undefined}
          aria-activedescendant={menu.activeId}
          aria-autocomplete="list"
          placeholder={t("composer.placeholder", { room: roomName })}
          value={value}
          rows={1}
          onChange={(e) => {
            setValue(e.target.value);
            onTyping?.(e.target.value);
            if (error) setError(undefined);
            void updateSuggestions(e.target.value, e.target.selectionStart ?? e.target.value.length);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => setTimeout(() => setSuggest(null), 150)}
          aria-invalid={tooLong || Boolean(error)}
          aria-describedby="composer-help"
          className="max-h-48 min-h-[1.5rem] flex-1 resize-none bg-transparent px-1 text-sm leading-6 outline-none [field-sizing:content] focus-visible:outline-none"
        />
        <button
          type="submit"
          className="btn-primary"
          disabled={!canSend}
          aria-describedby={blocked ? "composer-blocked" : undefined}
        >
          {t("composer.send")}
        </button>
      </div>
      <div id="composer-help" className="mt-1 flex justify-between gap-2 text-xs text-zinc-500">
        {error || tooLong || uploads.error ? (
          <span role="alert" className="text-red-600 dark:text-red-400">
            {tooLong ? t("composer.tooLong", { length, max: MAX_MESSAGE_LENGTH }) : (error ?? uploads.error)}
          </span>
        ) : blocked ? (
          <span id="composer-blocked" role="status">
            {blocked}
          </span>
        ) : !connected ? (
          <span>{t("composer.offline")}</span>
        ) : (
          <span className="hidden sm:inline">{t("composer.help")}</span>
        )}
        {length > MAX_MESSAGE_LENGTH - 500 && !tooLong && (
          <span>{t("composer.charactersLeft", { count: MAX_MESSAGE_LENGTH - length })}</span>
        )}
      </div>
    </form>
  );
}
