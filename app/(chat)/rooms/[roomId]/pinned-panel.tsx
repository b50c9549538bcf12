"use client";
// "Pinned (N)" in the room header: the room's pinned messages, live (a pin or unpin anywhere reaches
// every tab as message:updated; this tab's own pins as PINS_CHANGED), with jump-to-message.
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { getSocket } from "@/lib/realtime/client/socket";
import { apiFetch } from "../../_components/api";
import { BotBadge } from "../../_components/bot-badge";
import { useDismiss } from "../../_components/use-dismiss";

/** Dispatched on window by this tab after it pinned or unpinned (its own ack has no event). */
export const PINS_CHANGED = "beacon:pins-changed";

export function PinIcon() {
  return (
    <svg
      aria-hidden
      viewBox="0 0 20 20"
      className="inline size-4"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.6"
    >
      <path d="M7 3h6l-1 5 3 3H5l3-3-1-5ZM10 11v6" />
    </svg>
  );
}

export function PinnedButton({ roomId, onJump }: { roomId: string; onJump: (seq: number) => void }) {
  const t = useTranslations("room");
  const [open, setOpen] = useState(false);
  const [pins, setPins] = useState<ChatMessage[] | null>(null);
  const [error, setError] = useState<string>();
  const ids = useRef(new Set<string>());
  const panel = useRef<HTMLElement>(null);
  useDismiss(open, () => setOpen(false), { ref: panel });

  const load = useCallback(async () => {
    const res = await apiFetch<{ messages: ChatMessage[] }>(`/api/rooms/${roomId}/pins`);
    if (!res.ok) return setError(res.message);
    setError(undefined);
    ids.current = new Set(res.data.messages.map((m) => m.id));
    setPins(res.data.messages);
  }, [roomId]);

  useEffect(() => {
    void load();
    const socket = getSocket();
    const onChange = (m: ChatMessage) => {
      if (m.roomId === roomId && m.pinned !== ids.current.has(m.id)) void load();
    };
    const onOwn = () => void load();
    socket.on("message:updated", onChange);
    socket.on("message:deleted", onChange);
    socket.on("connect", onOwn);
    window.addEventListener(PINS_CHANGED, onOwn);
    return () => {
      socket.off("message:updated", onChange);
      socket.off("message:deleted", onChange);
      socket.off("connect", onOwn);
      window.removeEventListener(PINS_CHANGED, onOwn);
    };
  }, [roomId, load]);

  return (
    <>
      <button
        type="button"
        className="btn-ghost shrink-0 px-2"
        aria-label={t("pins.buttonLabel", { count: pins?.length ?? 0 })}
        title={t("pins.title")}
        aria-expanded={open}
        aria-controls="pinned-panel"
        onClick={() => setOpen((o) => !o)}
      >
        <PinIcon />
        <span className="ms-1 hidden md:inline">{t("pins.button")}</span>
        <span className="ms-0.5 tabular-nums">{t("pins.count", { count: pins?.length ?? 0 })}</span>
      </button>
      {open && (
        <section
          ref={panel}
          id="pinned-panel"
          aria-label={t("pins.title")}
          className="absolute end-2 top-full z-20 mt-1 w-[min(22rem,calc(100vw-1rem))] rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="mb-2 flex items-center justify-between">
            <h2 className="text-sm font-semibold">{t("pins.title")}</h2>
            <button type="button" className="btn-ghost px-2 py-0.5 text-xs" onClick={() => setOpen(false)}>
              {t("pins.close")}
            </button>
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-600">
              {error}
            </p>
          )}
          {pins === null ? (
            <p className="text-sm text-zinc-500">{t("pins.loading")}</p>
          ) : pins.length === 0 ? (
            <p className="text-sm text-zinc-500">{t("pins.empty")}</p>
          ) : (
            <ul className="max-h-80 space-y-2 overflow-y-auto text-sm" data-testid="pinned-list">
              {pins.map((m) => (
                <li key={m.id} className="rounded border border-zinc-200 p-2 dark:border-zinc-800">
                  <p className="text-xs text-zinc-500">
                    {m.author.displayName} <span dir="ltr">@{m.author.username}</span>{" "}
                    <BotBadge show={m.author.isBot === true} />
                  </p>
                  <p className="line-clamp-3 break-words">{m.body}</p>
                  <button
                    type="button"
                    className="mt-1 text-xs text-indigo-700 hover:underline dark:text-indigo-300"
                    aria-label={t("pins.jumpLabel", { snippet: m.body.slice(0, 40) })}
                    onClick={() => {
                      setOpen(false);
                      onJump(m.seq);
                    }}
                  >
                    {t("pins.jump")}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
