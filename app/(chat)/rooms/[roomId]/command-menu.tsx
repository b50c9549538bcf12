"use client";
// Slash commands in the room view. The composer's "/" menu (useCommandMenu + CommandMenu): typing
// "/" at the start lists the commands of this room (built-ins and the custom ones whose bot is in
// it) with their usage; arrows move, Enter or Tab completes, Esc closes. useCommands runs a command
// over the socket (command:run) and keeps a custom command's "ephemeral" answers, shown in the
// timeline as "Only visible to you" until dismissed.
import { useTranslations } from "next-intl";
import { type KeyboardEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { CommandInfo } from "@/lib/commands/commands.schema";
import { BUILTIN_COMMANDS } from "@/lib/commands/commands.schema";
import type { MessageAuthor } from "@/lib/messages/messages.schema";
import { getSocket, request, whenConnected } from "@/lib/realtime/client/socket";
import { uuid as newUuid } from "@/lib/uuid";
import { Avatar } from "../../_components/avatar";

export const COMMAND_MENU_ID = "command-menu";
const optionId = (name: string) => `command-option-${name}`;

/** The "/partial" command name being typed (the whole composer is "/" + letters, no space yet). */
function typedCommand(text: string): string | null {
  const m = /^\/([^\s/]*)$/.exec(text);
  return m ? (m[1] ?? "").toLowerCase() : null;
}

export interface CommandMenuState {
  open: boolean;
  items: CommandInfo[];
  active: number;
  activeId: string | undefined;
  /** Handles arrows, Enter/Tab and Esc while the menu is open; true when the key was used. */
  onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>): boolean;
  complete(c: CommandInfo): void;
  close(): void;
}

export function useCommandMenu(
  roomId: string,
  value: string,
  setValue: (text: string) => void,
  focus: () => void,
): CommandMenuState {
  const [list, setList] = useState<CommandInfo[]>(BUILTIN_COMMANDS as CommandInfo[]);
  const loaded = useRef<string | null>(null);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const query = typedCommand(value);

  // The room's list (with its custom commands) once per room, when "/" is first typed.
  useEffect(() => {
    if (query === null || loaded.current === roomId) return;
    loaded.current = roomId;
    void (async () => {
      const s = getSocket();
      if (!(await whenConnected(s, 5000))) return;
      const res = await request(s, "command:list", { roomId });
      if (res.ok) setList(res.data);
      else loaded.current = null;
    })();
  }, [query, roomId]);

  const items = useMemo(
    () => (query === null ? [] : list.filter((c) => c.name.startsWith(query))),
    [list, query],
  );
  const open = query !== null && items.length > 0 && dismissed !== value;
  const at = Math.min(active, Math.max(items.length - 1, 0));
  // A new query starts at the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on every change of the query
  useEffect(() => setActive(0), [query]);

  const complete = useCallback(
    (c: CommandInfo) => {
      setValue(`/${c.name} `);
      focus();
    },
    [setValue, focus],
  );

  return {
    open,
    items,
    active: at,
    activeId: open && items[at] ? optionId((items[at] as CommandInfo).name) : undefined,
    complete,
    close: () => setDismissed(value),
    onKeyDown(e) {
      if (!open) return false;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        setActive((at + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length);
        return true;
      }
      if ((e.key === "Enter" && !e.shiftKey) || e.key === "Tab") {
        e.preventDefault();
        const c = items[at];
        if (c) complete(c);
        return true;
      }
      if (e.key === "Escape") {
        e.preventDefault();
        setDismissed(value);
        return true;
      }
      return false;
    },
  };
}

export function CommandMenu({ menu }: { menu: CommandMenuState }) {
  const t = useTranslations("room");
  if (!menu.open) return null;
  return (
    <div
      id={COMMAND_MENU_ID}
      role="listbox"
      aria-label={t("commands.label")}
      className="absolute bottom-full start-4 z-20 mb-1 w-96 max-w-[calc(100%-2rem)] overflow-hidden rounded-md border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
    >
      {menu.items.map((c, i) => (
        <div
          key={c.name}
          id={optionId(c.name)}
          role="option"
          aria-selected={i === menu.active}
          tabIndex={-1}
          onMouseDown={(e) => {
            e.preventDefault();
            menu.complete(c);
          }}
          onKeyDown={() => {}}
          className={`cursor-pointer px-3 py-1.5 text-sm ${i === menu.active ? "bg-indigo-50 dark:bg-indigo-500/20" : ""}`}
        >
          <span className="font-mono font-medium">{c.usage}</span>
          <span className="ms-2 text-zinc-500">
            {c.description}
            {c.bot ? ` · @${c.bot}` : ""}
          </span>
        </div>
      ))}
      <p className="border-t border-zinc-100 px-3 py-1 text-xs text-zinc-500 dark:border-zinc-800">
        {t("commands.help")}
      </p>
    </div>
  );
}

export interface EphemeralNote {
  id: string;
  command: string;
  text: string;
  author: MessageAuthor;
}

/** Runs commands for the room view; answers only the caller sees stay until dismissed. */
export function useCommands(roomId: string) {
  const t = useTranslations("room");
  const [notes, setNotes] = useState<EphemeralNote[]>([]);
  // Another room: its notes do not follow.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the room changes
  useEffect(() => setNotes([]), [roomId]);
  const run = useCallback(
    async (text: string): Promise<{ error?: string; notice?: string }> => {
      const s = getSocket();
      if (!s.connected) return { error: t("commands.offline") };
      const res = await request(s, "command:run", { roomId, text, clientId: newUuid() }, 15_000);
      if (!res.ok) return { error: res.error.message };
      const eph = res.data.ephemeral;
      if (eph) setNotes((n) => [...n, { id: newUuid(), command: res.data.command, ...eph }]);
      return { notice: res.data.message || eph ? undefined : res.data.notice };
    },
    [roomId, t],
  );
  const dismiss = useCallback((id: string) => setNotes((n) => n.filter((x) => x.id !== id)), []);
  return { run, notes, dismiss };
}

export function EphemeralNotes({
  notes,
  onDismiss,
}: {
  notes: EphemeralNote[];
  onDismiss: (id: string) => void;
}) {
  const t = useTranslations("room");
  if (notes.length === 0) return null;
  return (
    <ul aria-label={t("commands.ephemeralLabel")} className="px-4">
      {notes.map((n) => (
        <li
          key={n.id}
          data-testid="ephemeral"
          className="my-1 flex gap-3 rounded-md border border-dashed border-indigo-300 bg-indigo-50/60 px-3 py-2 dark:border-indigo-700 dark:bg-indigo-500/10"
        >
          <Avatar user={n.author} />
          <div className="min-w-0 flex-1">
            <p className="flex items-baseline gap-2 text-sm">
              <strong>{n.author.displayName}</strong>
              <span className="text-xs text-zinc-500">{t("commands.onlyYou", { command: n.command })}</span>
            </p>
            <p className="whitespace-pre-wrap break-words text-sm">{n.text}</p>
          </div>
          <button
            type="button"
            className="btn-ghost self-start px-1.5 py-0 text-xs"
            aria-label={t("commands.dismissLabel", { command: n.command })}
            onClick={() => onDismiss(n.id)}
          >
            {t("commands.dismiss")}
          </button>
        </li>
      ))}
    </ul>
  );
}
