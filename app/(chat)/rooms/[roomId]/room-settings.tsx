"use client";
// Room moderation UI: the live room settings (room:updated), the "Room settings" dialog (name, topic,
// description, announcement, slow mode, archive, bans, delete with typed confirmation), and the
// notice that replaces the composer in archived and announcement rooms.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { getSocket } from "@/lib/realtime/client/socket";
import { type BanView, type RoomUpdate, SLOW_MODE_CHOICES } from "@/lib/rooms/moderation.schema";
import type { RoomView } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "../../_components/api";

/** The room as rendered, with the settings that room:updated brought since. */
export function useLiveRoom(room: RoomView): RoomView {
  const router = useRouter();
  const [live, setLive] = useState(room);
  useEffect(() => setLive(room), [room]);
  useEffect(() => {
    const socket = getSocket();
    const onUpdated = ({ roomId, myRole, ...s }: RoomUpdate) => {
      if (roomId !== room.id) return;
      setLive((r) => ({ ...r, ...s, ...(myRole !== undefined ? { myRole } : {}) }));
      // My role here changed: the server-rendered parts (controls) follow.
      if (myRole !== undefined) router.refresh();
    };
    socket.on("room:updated", onUpdated);
    return () => {
      socket.off("room:updated", onUpdated);
    };
  }, [room.id, router]);
  return live;
}

export type PostingBlock = "archived" | "readOnly";

/** Why this person cannot post here right now, or null. */
export function postingNotice(room: RoomView, canModerate: boolean): PostingBlock | null {
  if (room.archived) return "archived";
  if (room.readOnly && !canModerate) return "readOnly";
  return null;
}

export function PostingNotice({ reason }: { reason: PostingBlock }) {
  const t = useTranslations("room");
  return (
    <div
      role="status"
      data-testid="posting-notice"
      className="border-t border-zinc-200 bg-zinc-50 px-4 py-3 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300"
    >
      {reason === "archived" ? t("settings.archivedNotice") : t("settings.readOnlyNotice")}
    </div>
  );
}

/** "5 seconds", "1 minute", "6 hours": slow mode's interval in the largest whole unit. */
function slowModeLabel(t: ReturnType<typeof useTranslations<"room">>, seconds: number): string {
  if (seconds === 0) return t("settings.slowModeOff");
  if (seconds % 3600 === 0) return t("settings.slowModeHours", { count: seconds / 3600 });
  if (seconds % 60 === 0) return t("settings.slowModeMinutes", { count: seconds / 60 });
  return t("settings.slowModeSeconds", { count: seconds });
}

const dialogClass =
  "m-auto w-[min(32rem,calc(100vw-1rem))] max-h-[calc(100dvh-2rem)] overflow-y-auto rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100";

/** "Room settings" (for those who may moderate the room) and its dialog. */
export function RoomSettingsButton({ room, canDelete }: { room: RoomView; canDelete: boolean }) {
  const t = useTranslations("room");
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const confirmDialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [bans, setBans] = useState<BanView[] | null>(null);
  const [confirmText, setConfirmText] = useState("");
  const [deleteError, setDeleteError] = useState<string>();

  const loadBans = useCallback(async () => {
    const res = await apiFetch<{ bans: BanView[] }>(`/api/rooms/${room.id}/bans`);
    if (res.ok) setBans(res.data.bans);
  }, [room.id]);

  async function patch(body: Record<string, unknown>, done: string) {
    setBusy(true);
    setSaved(undefined);
    const res = await apiFetch(`/api/rooms/${room.id}`, { method: "PATCH", body });
    setBusy(false);
    if (!res.ok) {
      setErrors(res.fields ?? { "": res.message });
      return false;
    }
    setErrors({});
    setSaved(done);
    return true;
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    await patch(
      {
        name: String(form.get("name") ?? ""),
        topic: String(form.get("topic") ?? ""),
        description: String(form.get("description") ?? ""),
        readOnly: form.get("readOnly") === "on",
        slowModeSeconds: Number(form.get("slowModeSeconds") ?? 0),
      },
      t("settings.saved"),
    );
  }

  async function unban(userId: string) {
    const res = await apiFetch(`/api/rooms/${room.id}/bans/${userId}`, { method: "DELETE" });
    if (!res.ok) return setErrors({ "": res.message });
    await loadBans();
  }

  async function deleteRoom(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const res = await apiFetch(`/api/rooms/${room.id}`, { method: "DELETE", body: { confirm: confirmText } });
    if (!res.ok) return setDeleteError(res.fields?.confirm ?? res.message);
    confirmDialog.current?.close();
    dialog.current?.close();
    router.push("/rooms");
    router.refresh();
  }

  const slowChoices = SLOW_MODE_CHOICES.some((c) => c.seconds === room.slowModeSeconds)
    ? SLOW_MODE_CHOICES.map((c) => c.seconds)
    : [...SLOW_MODE_CHOICES.map((c) => c.seconds), room.slowModeSeconds];

  return (
    <>
      <button
        type="button"
        className="btn-ghost shrink-0 px-2"
        aria-label={t("settings.title")}
        title={t("settings.title")}
        onClick={() => {
          setErrors({});
          setSaved(undefined);
          setOpen(true);
          dialog.current?.showModal();
          void loadBans();
        }}
      >
        <span aria-hidden>⚙</span>
        <span className="ms-1 hidden md:inline">{t("settings.button")}</span>
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="room-settings-title"
        className={dialogClass}
        onClose={() => setOpen(false)}
      >
        {/* Only while open: a closed dialog's fields would still be found by their labels. */}
        {open && (
          <>
            {/* Keyed by the live settings: a change from another tab shows up in the form. */}
            <form
              key={`${room.name}|${room.topic}|${room.description}|${room.readOnly}|${room.slowModeSeconds}`}
              onSubmit={onSubmit}
              className="space-y-4 p-5"
              noValidate
            >
              <h2 id="room-settings-title" className="text-lg font-semibold">
                {t("settings.title")}
              </h2>
              <div>
                <label htmlFor="rs-name" className="label">
                  {t("settings.name")}
                </label>
                <input id="rs-name" name="name" className="input" maxLength={64} defaultValue={room.name} />
                {errors.name && <p className="field-error">{errors.name}</p>}
              </div>
              <div>
                <label htmlFor="rs-topic" className="label">
                  {t("settings.topic")}
                </label>
                <input
                  id="rs-topic"
                  name="topic"
                  className="input"
                  maxLength={250}
                  defaultValue={room.topic}
                />
                {errors.topic && <p className="field-error">{errors.topic}</p>}
              </div>
              <div>
                <label htmlFor="rs-description" className="label">
                  {t("settings.description")}
                </label>
                <textarea
                  id="rs-description"
                  name="description"
                  className="input min-h-20"
                  maxLength={1000}
                  defaultValue={room.description}
                />
                {errors.description && <p className="field-error">{errors.description}</p>}
              </div>
              <label className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="readOnly"
                  defaultChecked={room.readOnly}
                  className="mt-0.5 size-4 accent-indigo-600"
                />
                <span>
                  <span className="font-medium">{t("settings.announcement")}</span>
                  <span className="block text-zinc-500">{t("settings.announcementHelp")}</span>
                </span>
              </label>
              <div>
                <label htmlFor="rs-slow" className="label">
                  {t("settings.slowMode")}
                </label>
                <select
                  id="rs-slow"
                  name="slowModeSeconds"
                  className="input"
                  defaultValue={String(room.slowModeSeconds)}
                >
                  {slowChoices.map((seconds) => (
                    <option key={seconds} value={seconds}>
                      {slowModeLabel(t, seconds)}
                    </option>
                  ))}
                </select>
                <p className="mt-1 text-xs text-zinc-500">{t("settings.slowModeHelp")}</p>
                {errors.slowModeSeconds && <p className="field-error">{errors.slowModeSeconds}</p>}
              </div>
              {errors[""] && (
                <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                  {errors[""]}
                </p>
              )}
              {saved && (
                <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
                  {saved}
                </p>
              )}
              <div className="flex justify-end gap-2">
                <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
                  {t("settings.close")}
                </button>
                <button type="submit" className="btn-primary" disabled={busy}>
                  {t("settings.save")}
                </button>
              </div>
              <section
                aria-labelledby="rs-integrations"
                className="border-t border-zinc-200 pt-4 dark:border-zinc-800"
              >
                <h3 id="rs-integrations" className="mb-1 text-sm font-semibold">
                  {t("settings.integrations")}
                </h3>
                <a
                  href={`/rooms/${room.id}/integrations`}
                  className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
                >
                  {t("settings.webhooks")}
                </a>
              </section>
              <section
                aria-labelledby="rs-bans"
                className="border-t border-zinc-200 pt-4 dark:border-zinc-800"
              >
                <h3 id="rs-bans" className="mb-2 text-sm font-semibold">
                  {t("settings.bans")}
                </h3>
                {bans === null ? (
                  <p className="text-sm text-zinc-500">{t("settings.loading")}</p>
                ) : bans.length === 0 ? (
                  <p className="text-sm text-zinc-500">{t("settings.noBans")}</p>
                ) : (
                  <ul className="space-y-1 text-sm">
                    {bans.map((b) => (
                      <li key={b.user.id} className="flex items-center justify-between gap-2">
                        <span className="min-w-0 truncate">
                          {b.user.displayName}{" "}
                          <span dir="ltr" className="text-zinc-500">
                            @{b.user.username}
                          </span>
                          <span className="block text-xs text-zinc-500">
                            {b.reason
                              ? t("settings.bannedByReason", { name: b.bannedBy, reason: b.reason })
                              : t("settings.bannedBy", { name: b.bannedBy })}
                          </span>
                        </span>
                        <button
                          type="button"
                          className="btn-secondary px-2 py-0.5 text-xs"
                          aria-label={t("settings.unbanLabel", { username: b.user.username })}
                          onClick={() => void unban(b.user.id)}
                        >
                          {t("settings.unban")}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section
                aria-labelledby="rs-danger"
                className="space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800"
              >
                <h3 id="rs-danger" className="text-sm font-semibold">
                  {t("settings.archiveOrDelete")}
                </h3>
                <p className="text-xs text-zinc-500">{t("settings.archiveHelp")}</p>
                <div className="flex flex-wrap gap-2">
                  <button
                    type="button"
                    className="btn-secondary"
                    disabled={busy}
                    onClick={() =>
                      void patch(
                        { archived: !room.archived },
                        room.archived ? t("settings.unarchived") : t("settings.archivedDone"),
                      )
                    }
                  >
                    {room.archived ? t("settings.unarchive") : t("settings.archive")}
                  </button>
                  {canDelete && (
                    <button
                      type="button"
                      className="btn-secondary text-red-700 dark:text-red-400"
                      onClick={() => {
                        setConfirmText("");
                        setDeleteError(undefined);
                        confirmDialog.current?.showModal();
                      }}
                    >
                      {t("settings.deleteRoom")}
                    </button>
                  )}
                </div>
              </section>
            </form>
          </>
        )}
      </dialog>
      <dialog ref={confirmDialog} aria-labelledby="delete-room-title" className={dialogClass}>
        <form onSubmit={deleteRoom} className="space-y-3 p-5" noValidate>
          <h2 id="delete-room-title" className="text-lg font-semibold">
            {t("settings.deleteTitle", { name: room.name })}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("settings.deleteHelp")}</p>
          <div>
            <label htmlFor="delete-confirm" className="label">
              {t("settings.deleteConfirmLabel", { name: room.name })}
            </label>
            <input
              id="delete-confirm"
              className="input"
              value={confirmText}
              autoComplete="off"
              onChange={(e) => setConfirmText(e.target.value)}
            />
          </div>
          {deleteError && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {deleteError}
            </p>
          )}
          <div className="flex justify-end gap-2">
            <button type="button" className="btn-ghost" onClick={() => confirmDialog.current?.close()}>
              {t("settings.cancel")}
            </button>
            <button
              type="submit"
              className="btn-primary bg-red-600 hover:bg-red-700"
              disabled={confirmText.trim() !== room.name}
            >
              {t("settings.deleteRoom")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
