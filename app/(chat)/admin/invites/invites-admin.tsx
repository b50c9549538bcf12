"use client";
// The Invites tab: create a workspace invite (role, rooms, expiry, max uses), list every invite with
// its link, role, rooms, uses, expiry, maker and status; revoke; copy the link.
import { useFormatter, useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { CopyLinkButton, inviteUrl } from "@/app/(chat)/_components/copy-link-button";
import {
  INVITE_EXPIRY,
  INVITE_ROLES,
  type InviteRoom,
  type InviteView,
  invitePath,
} from "@/lib/invites/invites.schema";

const STATUS_CLASS: Record<InviteView["status"], string> = {
  active: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  expired: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  used_up: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  revoked: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

export function InvitesAdmin({
  initialInvites,
  rooms,
}: {
  initialInvites: InviteView[];
  rooms: InviteRoom[];
}) {
  const t = useTranslations("admin");
  const format = useFormatter();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: "medium", timeStyle: "short" });
  const [invites, setInvites] = useState(initialInvites);
  const [created, setCreated] = useState<InviteView>();
  const [error, setError] = useState<string>();
  const [listError, setListError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const raw = String(form.get("maxUses") ?? "").trim();
    const maxUses = raw === "" ? null : Number(raw);
    if (maxUses !== null && (!Number.isInteger(maxUses) || maxUses < 1))
      return setError(t("invites.maxUsesInvalid"));
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ invite: InviteView }>("/api/invites", {
      method: "POST",
      body: {
        kind: "workspace",
        role: String(form.get("role")),
        roomIds: form.getAll("roomIds").map(String),
        expiresIn: String(form.get("expiresIn")),
        maxUses,
      },
    });
    setBusy(false);
    if (!res.ok) return setError(Object.values(res.fields ?? {})[0] ?? res.message);
    setCreated(res.data.invite);
    setInvites((list) => [res.data.invite, ...list]);
  }

  async function revoke(invite: InviteView) {
    const res = await apiFetch<{ invite: InviteView }>(`/api/invites/${invite.id}`, { method: "DELETE" });
    if (!res.ok) return setListError(res.message);
    setListError(undefined);
    setInvites((list) => list.map((i) => (i.id === invite.id ? res.data.invite : i)));
  }

  return (
    <div className="space-y-6">
      <section
        aria-labelledby="new-invite-title"
        className="max-w-3xl rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      >
        <h2 id="new-invite-title" className="mb-3 font-semibold">
          {t("invites.newTitle")}
        </h2>
        <form onSubmit={create} className="grid gap-4 sm:grid-cols-2" noValidate>
          <div>
            <label htmlFor="invite-role" className="label">
              {t("invites.role")}
            </label>
            <select id="invite-role" name="role" defaultValue="member" className="input">
              {INVITE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="invite-expiry" className="label">
              {t("invites.expiresAfter")}
            </label>
            <select id="invite-expiry" name="expiresIn" defaultValue="7d" className="input">
              {INVITE_EXPIRY.map((x) => (
                <option key={x} value={x}>
                  {t(`invites.expiry.${x}`)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="invite-rooms" className="label">
              {t("invites.rooms")}
            </label>
            <select
              id="invite-rooms"
              name="roomIds"
              multiple
              size={Math.min(6, Math.max(3, rooms.length))}
              className="input"
              aria-describedby="invite-rooms-hint"
            >
              {rooms.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.isPrivate ? "🔒 " : "# "}
                  {r.name}
                </option>
              ))}
            </select>
            <p id="invite-rooms-hint" className="mt-1 text-xs text-zinc-500">
              {t("invites.roomsHint")}
            </p>
          </div>
          <div>
            <label htmlFor="invite-max" className="label">
              {t("invites.maxUses")}
            </label>
            <input
              id="invite-max"
              name="maxUses"
              type="number"
              min={1}
              max={10000}
              placeholder={t("invites.noLimit")}
              className="input"
            />
          </div>
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              {t(busy ? "invites.creating" : "invites.create")}
            </button>
          </div>
        </form>
        {error && (
          <p role="alert" className="field-error mt-3">
            {error}
          </p>
        )}
        {created && (
          <div className="mt-4 rounded-lg border border-emerald-200 bg-emerald-50 p-3 dark:border-emerald-900 dark:bg-emerald-950/40">
            <label htmlFor="new-invite-link" className="label">
              {t("invites.newTitle")}
            </label>
            <input
              id="new-invite-link"
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
      </section>

      <section aria-labelledby="invites-title">
        <h2 id="invites-title" className="mb-2 font-semibold">
          {t("invites.listTitle")}
        </h2>
        {listError && (
          <p role="alert" className="field-error mb-2">
            {listError}
          </p>
        )}
        {invites.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("invites.empty")}</p>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {invites.map((i) => (
              <li key={i.id} data-testid="invite" className="flex flex-wrap items-start gap-3 p-3 text-sm">
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_CLASS[i.status]}`}>
                      {t(`invites.status.${i.status}`)}
                    </span>
                    <span className="font-medium">
                      {i.kind === "room"
                        ? t("invites.roomInvite")
                        : t("invites.roleInvite", { role: t(`roles.${i.role}`) })}
                    </span>
                    <code dir="ltr" className="truncate text-xs text-zinc-500">
                      /invite/…{i.token.slice(-6)}
                    </code>
                  </div>
                  <p className="text-zinc-600 dark:text-zinc-400">
                    {i.rooms.length > 0
                      ? format.list(
                          i.rooms.map((r) => (
                            <bdi key={r.id}>
                              {r.isPrivate ? "🔒" : "#"} {r.name}
                            </bdi>
                          )),
                          { type: "unit", style: "long" },
                        )
                      : t("invites.noRooms")}
                  </p>
                  <p className="text-xs text-zinc-500">
                    {i.maxUses !== null
                      ? t("invites.usedOf", { uses: i.uses, max: i.maxUses })
                      : t("invites.usedNoLimit", { uses: i.uses })}{" "}
                    ·{" "}
                    {i.expiresAt
                      ? t("invites.expires", { date: when(i.expiresAt) })
                      : t("invites.neverExpires")}{" "}
                    ·{" "}
                    {t.rich("invites.madeBy", {
                      name: i.createdBy.displayName,
                      username: i.createdBy.username,
                      date: when(i.createdAt),
                      handle: (c) => <bdi>{c}</bdi>,
                    })}
                  </p>
                </div>
                {i.status === "active" && (
                  <div className="flex shrink-0 items-center gap-2">
                    <CopyLinkButton path={invitePath(i.token)} />
                    <button
                      type="button"
                      className="btn-ghost text-red-600"
                      aria-label={t("invites.revokeLabel", { ending: i.token.slice(-6) })}
                      onClick={() => void revoke(i)}
                    >
                      {t("invites.revoke")}
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
