"use client";
// "New room" opens a dialog with the create-room form (validated by the server's schema).
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { createRoomSchema } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "./api";
import { closeOnBackdrop } from "./use-dismiss";

/** Dispatched on window to open the dialog from elsewhere (the phone's "+" menu). */
export const OPEN_NEW_ROOM = "beacon:new-room";

export function NewRoomDialog() {
  const t = useTranslations("chat");
  const tc = useTranslations("common");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const open = () => dialog.current?.showModal();
    window.addEventListener(OPEN_NEW_ROOM, open);
    return () => window.removeEventListener(OPEN_NEW_ROOM, open);
  }, []);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      topic: String(form.get("topic") ?? ""),
      isPrivate: form.get("isPrivate") === "on",
    };
    const parsed = createRoomSchema.safeParse(input);
    if (!parsed.success) {
      const next: Record<string, string> = {};
      for (const i of parsed.error.issues) next[String(i.path[0] ?? "")] ??= i.message;
      setErrors(next);
      return;
    }
    setBusy(true);
    setErrors({});
    const res = await apiFetch<{ room: { id: string } }>("/api/rooms", { method: "POST", body: parsed.data });
    setBusy(false);
    if (!res.ok) {
      setErrors(res.fields ?? { "": res.message });
      return;
    }
    dialog.current?.close();
    (e.target as HTMLFormElement).reset();
    router.push(`/rooms/${res.data.room.id}`);
    router.refresh();
  }

  return (
    <>
      <button type="button" className="btn-primary flex-1" onClick={() => dialog.current?.showModal()}>
        {t("newRoom.open")}
      </button>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop; Esc is the dialog's keyboard way out */}
      <dialog
        ref={dialog}
        aria-labelledby="new-room-title"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        onClose={() => setErrors({})}
        onClick={closeOnBackdrop}
      >
        <form onSubmit={onSubmit} className="space-y-4 p-5" noValidate>
          <h2 id="new-room-title" className="text-lg font-semibold">
            {t("newRoom.title")}
          </h2>
          <div>
            <label htmlFor="room-name" className="label">
              {t("newRoom.name")}
            </label>
            <input
              id="room-name"
              name="name"
              className="input"
              maxLength={64}
              placeholder={t("newRoom.namePlaceholder")}
              aria-invalid={errors.name ? true : undefined}
              aria-describedby={errors.name ? "room-name-error" : undefined}
            />
            {errors.name && (
              <p id="room-name-error" className="field-error">
                {errors.name}
              </p>
            )}
          </div>
          <div>
            <label htmlFor="room-topic" className="label">
              {t.rich("newRoom.topic", {
                muted: (c) => <span className="font-normal text-zinc-500">{c}</span>,
              })}
            </label>
            <input id="room-topic" name="topic" className="input" maxLength={250} />
            {errors.topic && <p className="field-error">{errors.topic}</p>}
          </div>
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="isPrivate" className="mt-0.5 size-4 accent-indigo-600" />
            <span>
              <span className="font-medium">{t("newRoom.private")}</span>
              <span className="block text-zinc-500">{t("newRoom.privateHint")}</span>
            </span>
          </label>
          {errors[""] && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {errors[""]}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
              {tc("cancel")}
            </button>
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? t("newRoom.creating") : t("newRoom.create")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
