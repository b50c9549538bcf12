"use client";
// "New message": pick up to 7 people (8 with you) and open the one conversation you share.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import { MAX_DM_MEMBERS } from "@/lib/rooms/rooms.schema";
import type { PublicUser } from "@/lib/users/users.schema";
import { apiFetch } from "./api";
import { closeOnBackdrop } from "./use-dismiss";

/** Dispatched on window to open the dialog from elsewhere (the phone's "+" menu). */
export const OPEN_NEW_MESSAGE = "beacon:new-message";

export function NewMessageDialog() {
  const t = useTranslations("chat.newMessage");
  const tc = useTranslations("common");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState("");
  const [found, setFound] = useState<PublicUser[]>([]);
  const [picked, setPicked] = useState<PublicUser[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const open = () => dialog.current?.showModal();
    window.addEventListener(OPEN_NEW_MESSAGE, open);
    return () => window.removeEventListener(OPEN_NEW_MESSAGE, open);
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      // Nothing searched for: no results, and no error left over from an earlier search.
      setFound([]);
      setError(undefined);
      return;
    }
    // Answers can arrive out of order: only the one for the current query may touch the state.
    let cancelled = false;
    const timer = setTimeout(async () => {
      const res = await apiFetch<{ users: PublicUser[] }>(`/api/users/search?q=${encodeURIComponent(q)}`);
      if (cancelled) return;
      if (!res.ok) {
        // A failed search must not look like "nobody matches".
        setFound([]);
        return setError(res.message);
      }
      setFound(res.data.users);
      setActive(0);
      setError(undefined);
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query]);

  const pick = (u: PublicUser) => {
    if (picked.some((p) => p.id === u.id)) return;
    if (picked.length >= MAX_DM_MEMBERS - 1) return setError(t("tooMany", { max: MAX_DM_MEMBERS }));
    setPicked([...picked, u]);
    setQuery("");
    setFound([]);
    setError(undefined);
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, found.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && found[active]) {
      e.preventDefault();
      pick(found[active] as PublicUser);
    } else if (e.key === "Backspace" && query === "" && picked.length > 0) {
      setPicked(picked.slice(0, -1));
    }
  };

  async function start() {
    if (picked.length === 0) return setError(t("pickSomeone"));
    setBusy(true);
    const res = await apiFetch<{ room: { id: string } }>("/api/dms", {
      method: "POST",
      body: { usernames: picked.map((p) => p.username) },
    });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    dialog.current?.close();
    setPicked([]);
    router.push(`/rooms/${res.data.room.id}`);
    router.refresh();
  }

  return (
    <>
      <button
        type="button"
        className="btn-ghost flex-1 justify-start"
        onClick={() => dialog.current?.showModal()}
      >
        {t("open")}
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop; Esc is the dialog's keyboard way out */}
      <dialog
        ref={dialog}
        aria-labelledby="new-message-title"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        onClick={closeOnBackdrop}
      >
        <h2 id="new-message-title" className="mb-3 text-lg font-semibold">
          {t("title")}
        </h2>
        <label htmlFor="dm-to" className="label">
          {t("to")}
        </label>
        <div className="flex flex-wrap gap-1 rounded-md border border-zinc-300 p-1.5 dark:border-zinc-700">
          {picked.map((p) => (
            <span
              key={p.id}
              className="inline-flex items-center gap-1 rounded bg-indigo-100 px-1.5 text-sm text-indigo-900 dark:bg-indigo-500/20 dark:text-indigo-100"
            >
              {p.displayName}
              <button
                type="button"
                aria-label={t("remove", { name: p.displayName })}
                onClick={() => setPicked(picked.filter((x) => x.id !== p.id))}
              >
                ×
              </button>
            </span>
          ))}
          <input
            id="dm-to"
            role="combobox"
            aria-expanded={found.length > 0}
            aria-controls="dm-suggestions"
            aria-autocomplete="list"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={onKey}
            placeholder={picked.length === 0 ? t("placeholder") : ""}
            className="min-w-32 flex-1 bg-transparent px-1 text-sm outline-none"
          />
        </div>
        {found.length > 0 && (
          <div
            id="dm-suggestions"
            role="listbox"
            className="mt-1 max-h-48 overflow-y-auto rounded-md border border-zinc-200 dark:border-zinc-800"
          >
            {found.map((u, i) => (
              <div
                key={u.id}
                role="option"
                aria-selected={i === active}
                tabIndex={-1}
                onMouseDown={(e) => {
                  e.preventDefault();
                  pick(u);
                }}
                onKeyDown={() => {}}
                className={`cursor-pointer px-2 py-1 text-sm ${i === active ? "bg-indigo-50 dark:bg-indigo-500/20" : ""}`}
              >
                {u.displayName} <bdi className="text-zinc-500">@{u.username}</bdi>
              </div>
            ))}
          </div>
        )}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
            {tc("cancel")}
          </button>
          <button
            type="button"
            className="btn-primary"
            disabled={busy || picked.length === 0}
            onClick={() => void start()}
          >
            {t("start")}
          </button>
        </div>
      </dialog>
    </>
  );
}
