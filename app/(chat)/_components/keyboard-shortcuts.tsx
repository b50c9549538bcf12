"use client";
// The app-wide keyboard shortcuts (one key handler for all of them) and the "?" list of them.
// Shortcuts never fire while typing in a field, except those meant to work from the composer
// (Ctrl/Cmd+K, Alt+arrows); the composer's own keys (↑ edits, Esc marks read) live in composer.tsx.
import { usePathname, useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { QUICK_SWITCHER, QuickSwitcher } from "./quick-switcher";
import { neighbourRoom, rememberVisit } from "./room-directory";
import { useModal } from "./use-dismiss";

const mac = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** The rows of the "?" list, in order: each has `keys` and `does` under chat.shortcuts.<row>. */
export const SHORTCUTS = [
  "switcher",
  "room",
  "unreadRoom",
  "editLast",
  "markRead",
  "messages",
  "actions",
  "dismiss",
  "help",
] as const;

function typing(el: Element | null): boolean {
  return (
    el instanceof HTMLElement &&
    (el.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) ||
      el.getAttribute("role") === "combobox")
  );
}

export function KeyboardShortcuts({ meId }: { meId: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const [switcher, setSwitcher] = useState(false);
  const [help, setHelp] = useState(false);
  const roomId = /^\/rooms\/([0-9a-f-]{36})$/.exec(pathname)?.[1] ?? null;

  useEffect(() => {
    if (roomId) rememberVisit(roomId);
  }, [roomId]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      // Another modal dialog (New room, a confirmation) keeps the keyboard to itself.
      const modal = document.querySelector("dialog[open]");
      const mine = modal?.hasAttribute(QUICK_SWITCHER) ?? false;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "k") {
        if (modal && !mine) return;
        e.preventDefault();
        setSwitcher((s) => !s);
        return;
      }
      if (modal) return;
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
        const next = neighbourRoom(roomId, e.key === "ArrowDown" ? 1 : -1, e.shiftKey);
        e.preventDefault();
        if (next) router.push(`/rooms/${next.id}`);
        return;
      }
      if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(document.activeElement)) {
        e.preventDefault();
        setHelp(true);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [roomId, router]);

  return (
    <>
      {switcher && <QuickSwitcher meId={meId} onClose={() => setSwitcher(false)} />}
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </>
  );
}

function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const t = useTranslations("chat.shortcuts");
  const tc = useTranslations("common");
  const ref = useModal(true, onClose);
  const cmd = mac();
  return (
    <dialog
      ref={ref}
      aria-labelledby="shortcuts-title"
      className="m-auto w-[min(34rem,calc(100vw-1.5rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="p-5">
        <div className="mb-3 flex items-center justify-between">
          <h2 id="shortcuts-title" className="text-lg font-semibold">
            {t("title")}
          </h2>
          <button type="button" className="btn-ghost" onClick={onClose}>
            {tc("close")}
          </button>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s} className="border-t border-zinc-100 dark:border-zinc-800">
                <th scope="row" className="py-1.5 pe-3 text-start font-medium whitespace-nowrap">
                  <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-800">
                    {cmd && s === "switcher" ? t("switcher.keysMac") : t(`${s}.keys`)}
                  </kbd>
                </th>
                <td className="py-1.5 text-zinc-700 dark:text-zinc-300">{t(`${s}.does`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </dialog>
  );
}
