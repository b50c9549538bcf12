"use client";
// On a phone the sidebar is a drawer: this "+" next to its menu button reaches "New room" and "New
// message" from every screen without opening it.
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import { OPEN_NEW_MESSAGE } from "./new-message-dialog";
import { OPEN_NEW_ROOM } from "./new-room-dialog";
import { useDismiss } from "./use-dismiss";

export function CreateMenu() {
  const t = useTranslations("chat");
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  useDismiss(open, () => setOpen(false), { ref: menu });
  const item =
    "flex min-h-11 w-full items-center gap-2 px-4 text-start text-base hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800";
  const run = (event: string) => {
    setOpen(false);
    window.dispatchEvent(new Event(event));
  };
  return (
    <div className="fixed start-12 top-2 z-30 md:hidden">
      <button
        type="button"
        className="btn-ghost px-2.5"
        aria-label={t("createMenu.label")}
        title={t("createMenu.title")}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          aria-hidden
          viewBox="0 0 20 20"
          className="size-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
        >
          <path d="M10 4v12M4 10h12" />
        </svg>
      </button>
      {open && (
        <div
          ref={menu}
          role="menu"
          aria-label={t("createMenu.label")}
          className="absolute start-0 mt-1 w-52 overflow-hidden rounded-lg border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <button type="button" role="menuitem" className={item} onClick={() => run(OPEN_NEW_ROOM)}>
            {t("newRoom.open")}
          </button>
          <button type="button" role="menuitem" className={item} onClick={() => run(OPEN_NEW_MESSAGE)}>
            {t("newMessage.open")}
          </button>
        </div>
      )}
    </div>
  );
}
