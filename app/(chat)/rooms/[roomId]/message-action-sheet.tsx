"use client";
// A message's actions as one list: a bottom sheet on a phone (opened by a long press or the "⋯"
// button), a small dialog elsewhere (Enter, ".", Shift+F10 or the context-menu key on a focused
// message). The same actions as the hover toolbar, in buttons at least 44 px tall.
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { useModal } from "../../_components/use-dismiss";

export interface SheetAction {
  label: string;
  icon: ReactNode;
  run: () => void;
  danger?: boolean;
}

const author = (c: ReactNode) => <span className="font-medium text-zinc-800 dark:text-zinc-200">{c}</span>;

export function MessageActionSheet({
  m,
  items,
  onClose,
}: {
  m: ChatMessage;
  items: SheetAction[];
  onClose: () => void;
}) {
  const t = useTranslations("room");
  const ref = useModal(true, onClose);
  // Close first (synchronously, so focus may move on: the edit box, the reaction picker), then act.
  const choose = (run: () => void) => {
    ref.current?.close();
    onClose();
    run();
  };
  return (
    <dialog
      ref={ref}
      aria-label={t("sheet.label")}
      data-testid="message-action-sheet"
      className="mx-0 mb-0 mt-auto w-full max-w-none rounded-t-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100 sm:m-auto sm:w-80 sm:rounded-xl"
    >
      <div className="p-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
        <div aria-hidden className="mx-auto mb-2 mt-1 h-1 w-10 rounded-full bg-zinc-300 sm:hidden" />
        <p className="truncate px-3 pb-2 text-sm text-zinc-500 dark:text-zinc-400">
          {m.body
            ? t.rich("sheet.heading", { name: m.author.displayName, snippet: m.body.slice(0, 80), b: author })
            : author(m.author.displayName)}
        </p>
        <ul className="flex flex-col">
          {items.map((a) => (
            <li key={a.label}>
              <button
                type="button"
                onClick={() => choose(a.run)}
                className={`flex min-h-11 w-full items-center gap-3 rounded-lg px-3 text-start text-base hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800 ${
                  a.danger ? "text-red-700 dark:text-red-400" : ""
                }`}
              >
                <span aria-hidden className="grid w-6 place-items-center">
                  {a.icon}
                </span>
                {a.label}
              </button>
            </li>
          ))}
          <li className="mt-1 border-t border-zinc-200 pt-1 dark:border-zinc-800">
            <button
              type="button"
              onClick={onClose}
              className="min-h-11 w-full rounded-lg px-3 text-center text-base font-medium hover:bg-zinc-100 focus-visible:bg-zinc-100 dark:hover:bg-zinc-800 dark:focus-visible:bg-zinc-800"
            >
              {t("sheet.cancel")}
            </button>
          </li>
        </ul>
      </div>
    </dialog>
  );
}
