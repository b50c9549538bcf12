"use client";
// Settings → Bots: create a bot, and for each one: its picture, display name and description, its
// tokens (the same ApiTokens component as my own) and Deactivate behind a confirmation.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useRef, useState } from "react";
import type { BotView } from "@/lib/bots/bots.schema";
import { isAdmin } from "@/lib/workspace/roles";
import { apiFetch } from "../../_components/api";
import { Avatar } from "../../_components/avatar";
import { BotBadge } from "../../_components/bot-badge";
import { upload } from "../../_components/upload";
import { ApiTokens } from "../api-tokens";

export function BotsManager({ initial, canCreate }: { initial: BotView[]; canCreate: boolean }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [bots, setBots] = useState(initial);
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<string>();

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const description = String(form.get("description") ?? "").trim();
    setBusy(true);
    setError(undefined);
    setFields({});
    setStatus(undefined);
    const res = await apiFetch<{ bot: BotView }>("/api/bots", {
      method: "POST",
      body: {
        username: String(form.get("username") ?? ""),
        displayName: String(form.get("displayName") ?? ""),
        ...(description ? { description } : {}),
      },
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setFields(res.fields ?? {});
      return;
    }
    setBots((b) => [res.data.bot, ...b]);
    setStatus(t("bots.createdStatus", { username: res.data.bot.username }));
    formEl.reset();
    router.refresh();
  }

  const replace = (bot: BotView) => setBots((all) => all.map((b) => (b.id === bot.id ? bot : b)));

  return (
    <div className="space-y-6">
      {canCreate ? (
        <section aria-labelledby="new-bot-heading" className="space-y-3">
          <h2 id="new-bot-heading" className="text-base font-semibold">
            {t("bots.newHeading")}
          </h2>
          <form
            onSubmit={create}
            className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
            noValidate
          >
            <div>
              <label htmlFor="bot-username" className="label">
                {t("bots.username")}
              </label>
              <input
                id="bot-username"
                name="username"
                required
                maxLength={32}
                placeholder={t("bots.usernamePlaceholder")}
                className="input"
                aria-invalid={fields.username ? true : undefined}
                aria-describedby="bot-username-help"
              />
              <p id="bot-username-help" className="mt-1 text-xs text-zinc-500">
                {t("bots.usernameHelp")}
              </p>
              {fields.username && <p className="field-error">{fields.username}</p>}
            </div>
            <div>
              <label htmlFor="bot-display" className="label">
                {t("bots.displayName")}
              </label>
              <input
                id="bot-display"
                name="displayName"
                required
                maxLength={64}
                className="input"
                aria-invalid={fields.displayName ? true : undefined}
              />
              {fields.displayName && <p className="field-error">{fields.displayName}</p>}
            </div>
            <div>
              <label htmlFor="bot-description" className="label">
                {t("bots.description")}
              </label>
              <textarea
                id="bot-description"
                name="description"
                maxLength={280}
                rows={2}
                className="input"
                aria-invalid={fields.description ? true : undefined}
              />
              {fields.description && <p className="field-error">{fields.description}</p>}
            </div>
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? t("bots.creating") : t("bots.create")}
            </button>
          </form>
        </section>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("bots.onlyAdmins")}</p>
      )}
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {error}
        </p>
      )}
      {status && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </p>
      )}
      <section aria-labelledby="bots-list-heading" className="space-y-4">
        <h2 id="bots-list-heading" className="text-base font-semibold">
          {t("bots.listHeading", { count: bots.length })}
        </h2>
        {bots.length === 0 ? (
          <p className="text-sm text-zinc-500">{t("bots.empty")}</p>
        ) : (
          bots.map((b) => <BotCard key={b.id} bot={b} onChange={replace} />)
        )}
      </section>
    </div>
  );
}

function BotCard({ bot, onChange }: { bot: BotView; onChange: (b: BotView) => void }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [progress, setProgress] = useState<number | null>(null);
  const [avatarVersion, setAvatarVersion] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const handle = `@${bot.username}`;

  async function save(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch<{ bot: BotView }>(`/api/bots/${bot.id}`, {
      method: "PATCH",
      body: {
        displayName: String(form.get("displayName") ?? ""),
        description: String(form.get("description") ?? ""),
      },
    });
    if (!res.ok) return setError(res.message);
    onChange(res.data.bot);
    setStatus(t("bots.card.saved"));
    router.refresh();
  }

  async function uploadPicture(f: File) {
    setError(undefined);
    setStatus(undefined);
    setProgress(0);
    const res = await upload<{ avatarUrl: string }>(
      `/api/bots/${bot.id}/avatar`,
      [["file", f, f.name]],
      (x) => setProgress(Math.round(x * 100)),
    ).result;
    setProgress(null);
    if (!res.ok) return setError(res.message);
    onChange({ ...bot, avatarUrl: res.data.avatarUrl });
    setAvatarVersion((v) => v + 1);
    setStatus(t("bots.card.pictureSaved"));
  }

  async function deactivate() {
    setError(undefined);
    const res = await apiFetch<{ bot: BotView }>(`/api/bots/${bot.id}`, { method: "DELETE" });
    if (!res.ok) return setError(res.message);
    onChange(res.data.bot);
    setStatus(t("bots.card.deactivatedStatus", { handle }));
    router.refresh();
  }

  return (
    <article
      aria-label={t("bots.card.label", { handle })}
      className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
      data-testid="bot"
    >
      <header className="flex items-center gap-3">
        <Avatar key={avatarVersion} user={bot} size={40} />
        <div className="min-w-0 flex-1">
          <h3 className="flex items-center gap-2 font-semibold">
            {bot.displayName} <BotBadge />
            {bot.deactivated && (
              <span className="text-sm font-normal text-zinc-500">{t("bots.card.deactivated")}</span>
            )}
          </h3>
          <p className="text-xs text-zinc-500">
            {bot.owner
              ? t("bots.card.ownedBy", { handle, name: bot.owner.displayName, username: bot.owner.username })
              : t("bots.card.noOwner", { handle })}
          </p>
        </div>
      </header>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {status && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {status}
        </p>
      )}
      {!bot.deactivated && (
        <>
          <form onSubmit={save} className="grid gap-2 sm:grid-cols-2" noValidate>
            <div>
              <label htmlFor={`bot-${bot.id}-name`} className="label">
                {t("bots.card.displayNameOf", { handle })}
              </label>
              <input
                id={`bot-${bot.id}-name`}
                name="displayName"
                defaultValue={bot.displayName}
                maxLength={64}
                className="input"
              />
            </div>
            <div>
              <label htmlFor={`bot-${bot.id}-desc`} className="label">
                {t("bots.card.descriptionOf", { handle })}
              </label>
              <input
                id={`bot-${bot.id}-desc`}
                name="description"
                defaultValue={bot.description}
                maxLength={280}
                className="input"
              />
            </div>
            <div className="flex flex-wrap items-center gap-2 sm:col-span-2">
              <button type="submit" className="btn-secondary">
                {t("bots.card.save", { handle })}
              </button>
              <input
                ref={file}
                type="file"
                hidden
                accept="image/png,image/jpeg,image/gif,image/webp,image/avif"
                aria-label={t("bots.card.pictureFor", { handle })}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  e.target.value = "";
                  if (f) void uploadPicture(f);
                }}
              />
              <button
                type="button"
                className="btn-secondary"
                disabled={progress !== null}
                onClick={() => file.current?.click()}
              >
                {progress !== null
                  ? t("bots.card.uploading", { progress: progress / 100 })
                  : t("bots.card.uploadPicture", { handle })}
              </button>
              <button
                type="button"
                className="btn bg-red-600 text-white hover:bg-red-500"
                onClick={() => dialog.current?.showModal()}
              >
                {t("bots.card.deactivate", { handle })}
              </button>
            </div>
          </form>
          <ApiTokens
            endpoint={`/api/bots/${bot.id}/tokens`}
            title={t("bots.card.tokensTitle", { handle })}
            intro={t("bots.card.tokensIntro", { handle })}
            allowAdmin={isAdmin(bot.role)}
            headingLevel={3}
          />
        </>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={`bot-${bot.id}-confirm`}
        className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
      >
        <h3 id={`bot-${bot.id}-confirm`} className="text-base font-semibold">
          {t("bots.card.confirmTitle", { handle })}
        </h3>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t("bots.card.confirmBody")}</p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </button>
          <button
            type="button"
            className="btn bg-red-600 text-white hover:bg-red-500"
            onClick={() => {
              dialog.current?.close();
              void deactivate();
            }}
          >
            {t("bots.card.confirm")}
          </button>
        </div>
      </dialog>
    </article>
  );
}
