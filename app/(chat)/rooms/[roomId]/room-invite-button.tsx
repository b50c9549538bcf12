"use client";
// "Invite link" in a private room's header, for the room's owner and moderators (and workspace
// moderators in it): create a link that adds whoever opens it to this room, copy it, revoke old ones.
// Whether to show it is the server's answer to "list this room's invites" (a 404 for anyone else).
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { INVITE_EXPIRY, type InviteView, invitePath } from "@/lib/invites/invites.schema";
import type { RoomView } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "../../_components/api";
import { CopyLinkButton, inviteUrl } from "../../_components/copy-link-button";

export function RoomInviteButton({ room }: { room: RoomView }) {
  const t = useTranslations("room");
  const locale = useLocale();
  const eligible = room.kind === "channel" && room.isPrivate && room.isMember;
  const dialog = useRef<HTMLDialogElement>(null);
  const [invites, setInvites] = useState<InviteView[] | null>(null);
  const [created, setCreated] = useState<InviteView>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const res = await apiFetch<{ invites: InviteView[] }>(`/api/invites?roomId=${room.id}`);
    setInvites(res.ok ? res.data.invites : null);
  }, [room.id]);

  useEffect(() => {
    if (eligible) void load();
  }, [eligible, load]);

  if (!eligible || invites === null) return null;

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const raw = String(form.get("maxUses") ?? "").trim();
    const maxUses = raw === "" ? null : Number(raw);
    if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1))
      return setError(t("invite.maxUsesInvalid"));
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ invite: InviteView }>("/api/invites", {
      method: "POST",
      body: { kind: "room", roomId: room.id, expiresIn: String(form.get("expiresIn")), maxUses },
    });
    setBusy(false);
    if (!res.ok) return setError(res.fields?.maxUses ?? res.message);
    setCreated(res.data.invite);
    void load();
  }

  async function revoke(id: string) {
    const res = await apiFetch(`/api/invites/${id}`, { method: "DELETE" });
    if (!res.ok) return setError(res.message);
    if (created?.id === id) setCreated(undefined);
    void load();
  }

  const active = invites.filter((i) => i.status === "active");

  return (
    <>
      <button
        type="button"
        className="btn-ghost"
        aria-label={t("invite.createLabel")}
        onClick={() => {
          setCreated(undefined);
          setError(undefined);
          dialog.current?.showModal();
        }}
      >
        {t("invite.button")}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby="room-invite-title"
        className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <div className="space-y-4 p-5">
          <h2 id="room-invite-title" className="text-lg font-semibold">
            {t("invite.title", { name: room.name })}
          </h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("invite.help")}</p>
          <form onSubmit={create} className="flex flex-wrap items-end gap-3" noValidate>
            <div>
              <label htmlFor="room-invite-expiry" className="label">
                {t("invite.expiresAfter")}
              </label>
              <select id="room-invite-expiry" name="expiresIn" defaultValue="7d" className="input">
                {INVITE_EXPIRY.map((e) => (
                  <option key={e} value={e}>
                    {t(`invite.expiry.${e}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="w-28">
              <label htmlFor="room-invite-max" className="label">
                {t("invite.maxUses")}
              </label>
              <input
                id="room-invite-max"
                name="maxUses"
                type="number"
                min={1}
                max={10000}
                placeholder={t("invite.noLimit")}
                className="input"
              />
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? t("invite.creating") : t("invite.create")}
            </button>
          </form>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          {created && (
            <div className="rounded-lg border border-emerald-200 bg-emerald-50 p-3 dark:border-emerald-900 dark:bg-emerald-950/40">
              <label htmlFor="room-invite-link" className="label">
                {t("invite.link")}
              </label>
              <input
                id="room-invite-link"
                readOnly
                value={inviteUrl(created.token)}
                className="input font-mono text-xs"
                onFocus={(e) => e.currentTarget.select()}
              />
              <div className="mt-2">
                <CopyLinkButton path={invitePath(created.token)} />
              </div>
            </div>
          )}
          {active.length > 0 && (
            <section aria-label={t("invite.activeLabel")}>
              <h3 className="mb-1 text-sm font-semibold">{t("invite.active")}</h3>
              <ul className="max-h-40 space-y-1 overflow-y-auto text-sm">
                {active.map((i) => (
                  <li key={i.id} className="flex items-center justify-between gap-2">
                    <span className="truncate text-zinc-600 dark:text-zinc-400">
                      …{i.token.slice(-6)} ·{" "}
                      {i.maxUses
                        ? t("invite.usedOf", { uses: i.uses, max: i.maxUses })
                        : t("invite.used", { uses: i.uses })}{" "}
                      ·{" "}
                      {i.expiresAt
                        ? t("invite.expires", {
                            date: new Intl.DateTimeFormat(locale).format(new Date(i.expiresAt)),
                          })
                        : t("invite.noExpiry")}{" "}
                      · {t(`invite.status.${i.status}`)}
                    </span>
                    <button
                      type="button"
                      className="btn-ghost px-2 text-red-600"
                      aria-label={t("invite.revokeLabel", { token: i.token.slice(-6) })}
                      onClick={() => void revoke(i.id)}
                    >
                      {t("invite.revoke")}
                    </button>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="flex justify-end">
            <button type="button" className="btn-secondary" onClick={() => dialog.current?.close()}>
              {t("invite.close")}
            </button>
          </div>
        </div>
      </dialog>
    </>
  );
}
