"use client";
// API tokens (lib/tokens): one component for my own tokens (Settings → API tokens) and for each
// bot's (Settings → Bots). Create (name, scopes, expiry), see the new token once with Copy, list the
// live ones (prefix, scopes, dates, last use and address) and revoke one after a confirmation.
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from "react";
import { type CreatedToken, TOKEN_SCOPES, type TokenView } from "@/lib/tokens/tokens.schema";
import { apiFetch } from "../_components/api";

/** The expiry choices in days ("" is never). */
const EXPIRY_DAYS = ["", "7", "30", "90", "365"] as const;

export function ApiTokens({
  endpoint,
  title,
  intro,
  allowAdmin,
  initial,
  headingLevel = 2,
}: {
  /** "/api/account/tokens" or "/api/bots/<id>/tokens" */
  endpoint: string;
  title: string;
  intro: string;
  /** Offer the Admin scope (the account the token acts as is an admin). */
  allowAdmin: boolean;
  /** The list as the server rendered it; fetched on mount when absent. */
  initial?: TokenView[];
  headingLevel?: 2 | 3;
}) {
  const t = useTranslations("settings");
  const locale = useLocale();
  const { fmt, list } = useMemo(() => {
    // The reader's language; the browser's own time zone.
    const when = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const scopes = new Intl.ListFormat(locale, { type: "unit", style: "short" });
    return { fmt: (iso: string) => when.format(new Date(iso)), list: (xs: string[]) => scopes.format(xs) };
  }, [locale]);
  const id = useId();
  const [tokens, setTokens] = useState<TokenView[] | null>(initial ?? null);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [copied, setCopied] = useState<"" | "copied" | "failed">("");
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const [status, setStatus] = useState<string>();
  const dialog = useRef<HTMLDialogElement>(null);
  const tokenField = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (initial) return;
    let live = true;
    void apiFetch<{ tokens: TokenView[] }>(endpoint).then((res) => {
      if (!live) return;
      if (res.ok) setTokens(res.data.tokens);
      else setError(res.message);
    });
    return () => {
      live = false;
    };
  }, [endpoint, initial]);

  async function create(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    const days = String(form.get("expires") ?? "");
    setBusy(true);
    setError(undefined);
    setFields({});
    setStatus(undefined);
    const res = await apiFetch<{ token: CreatedToken }>(endpoint, {
      method: "POST",
      body: {
        name: String(form.get("name") ?? ""),
        scopes: form.getAll("scopes").map(String),
        expiresInDays: days ? Number(days) : null,
      },
    });
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      setFields(res.fields ?? {});
      return;
    }
    const { token: _secret, ...view } = res.data.token;
    setCreated(res.data.token);
    setCopied("");
    setTokens((all) => [view, ...(all ?? [])]);
    formEl.reset();
  }

  useEffect(() => {
    if (created) tokenField.current?.select();
  }, [created]);

  async function copy() {
    if (!created) return;
    let ok = false;
    try {
      await navigator.clipboard.writeText(created.token);
      ok = true;
    } catch {
      // Plain-HTTP origins have no clipboard API: copy the selected field the old way.
      tokenField.current?.select();
      ok = document.execCommand("copy");
    }
    setCopied(ok ? "copied" : "failed");
  }

  async function revoke(token: TokenView) {
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch(`${endpoint}/${encodeURIComponent(token.id)}`, { method: "DELETE" });
    if (!res.ok && res.status !== 404) return setError(res.message);
    setTokens((all) => (all ?? []).filter((x) => x.id !== token.id));
    if (created?.id === token.id) setCreated(null);
    setStatus(t("apiTokens.revokedStatus", { name: token.name }));
  }

  const H = headingLevel === 2 ? "h2" : "h3";
  const scopes = TOKEN_SCOPES.filter((s) => s !== "admin" || allowAdmin);
  return (
    <section aria-labelledby={`${id}-heading`} className="space-y-3">
      <H id={`${id}-heading`} className="text-base font-semibold">
        {title}
      </H>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{intro}</p>
      <form
        onSubmit={create}
        className="space-y-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
        noValidate
      >
        <div>
          <label htmlFor={`${id}-name`} className="label">
            {t("apiTokens.tokenName")}
          </label>
          <input
            id={`${id}-name`}
            name="name"
            maxLength={64}
            required
            placeholder={t("apiTokens.namePlaceholder")}
            className="input"
            aria-invalid={fields.name ? true : undefined}
            aria-describedby={fields.name ? `${id}-name-error` : undefined}
          />
          {fields.name && (
            <p id={`${id}-name-error`} className="field-error">
              {fields.name}
            </p>
          )}
        </div>
        <fieldset aria-describedby={fields.scopes ? `${id}-scopes-error` : undefined}>
          <legend className="label">{t("apiTokens.scopesLegend")}</legend>
          <div className="space-y-1">
            {scopes.map((s) => (
              <label key={s} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  name="scopes"
                  value={s}
                  defaultChecked={s === "read"}
                  className="mt-0.5"
                />
                <span>
                  {t(`apiTokens.scopes.${s}.label`)}
                  <span className="text-zinc-500">: {t(`apiTokens.scopes.${s}.help`)}</span>
                </span>
              </label>
            ))}
          </div>
          {fields.scopes && (
            <p id={`${id}-scopes-error`} className="field-error">
              {fields.scopes}
            </p>
          )}
        </fieldset>
        <div>
          <label htmlFor={`${id}-expires`} className="label">
            {t("apiTokens.expires")}
          </label>
          <select id={`${id}-expires`} name="expires" defaultValue="90" className="input w-48">
            {EXPIRY_DAYS.map((days) => (
              <option key={days} value={days}>
                {days ? t("apiTokens.expiresInDays", { days: Number(days) }) : t("apiTokens.expiresNever")}
              </option>
            ))}
          </select>
          {fields.expiresInDays && <p className="field-error">{fields.expiresInDays}</p>}
        </div>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? t("apiTokens.creating") : t("apiTokens.create")}
        </button>
      </form>
      {created && (
        <section
          aria-label={t("apiTokens.newToken")}
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40"
        >
          <p className="font-medium">{t("apiTokens.copyNow", { name: created.name })}</p>
          <div className="flex gap-2">
            <label htmlFor={`${id}-new`} className="sr-only">
              {t("apiTokens.newToken")}
            </label>
            <input
              id={`${id}-new`}
              ref={tokenField}
              readOnly
              dir="ltr"
              value={created.token}
              className="input font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="btn-secondary" onClick={() => void copy()}>
              {copied === "copied" ? t("apiTokens.copied") : t("apiTokens.copy")}
            </button>
          </div>
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {copied === "copied"
              ? t("apiTokens.copiedStatus")
              : copied === "failed"
                ? t("apiTokens.copyFailed")
                : ""}
          </p>
          <button type="button" className="btn-ghost text-xs" onClick={() => setCreated(null)}>
            {t("apiTokens.haveCopied")}
          </button>
        </section>
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
      {tokens === null ? (
        !error && <p className="text-sm text-zinc-500">{t("apiTokens.loading")}</p>
      ) : tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">{t("apiTokens.empty")}</p>
      ) : (
        <ul
          aria-label={t("apiTokens.listLabel", { title })}
          className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {tokens.map((token) => (
            <li key={token.id} aria-label={token.name} className="flex items-start gap-3 p-3 text-sm">
              <div className="min-w-0 flex-1 space-y-0.5">
                <p className="font-medium">
                  {token.name}{" "}
                  <code dir="ltr" className="text-xs text-zinc-500">
                    {token.prefix}…
                  </code>
                </p>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  {t("apiTokens.scopesList", {
                    scopes: list(token.scopes.map((s) => t(`apiTokens.scopes.${s}.label`))),
                  })}
                </p>
                <p className="text-xs text-zinc-500" suppressHydrationWarning>
                  {token.expiresAt
                    ? t("apiTokens.createdExpires", {
                        created: fmt(token.createdAt),
                        expires: fmt(token.expiresAt),
                      })
                    : t("apiTokens.createdNeverExpires", { created: fmt(token.createdAt) })}
                </p>
                <p className="text-xs text-zinc-500" suppressHydrationWarning>
                  {!token.lastUsedAt
                    ? t("apiTokens.neverUsed")
                    : token.lastUsedIp
                      ? t("apiTokens.lastUsedFrom", { when: fmt(token.lastUsedAt), ip: token.lastUsedIp })
                      : t("apiTokens.lastUsed", { when: fmt(token.lastUsedAt) })}
                </p>
              </div>
              <button
                type="button"
                className="btn-secondary shrink-0 text-sm"
                aria-label={t("apiTokens.revokeLabel", { name: token.name })}
                onClick={() => {
                  setRevoking(token);
                  dialog.current?.showModal();
                }}
              >
                {t("apiTokens.revoke")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-confirm`}
        className="m-auto w-[min(26rem,calc(100vw-2rem))] rounded-xl border border-zinc-200 bg-white p-5 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
        onClose={() => setRevoking(null)}
      >
        <h3 id={`${id}-confirm`} className="text-base font-semibold">
          {t("apiTokens.confirmTitle", { name: revoking?.name ?? "" })}
        </h3>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t("apiTokens.confirmBody")}</p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
            {t("cancel")}
          </button>
          <button
            type="button"
            className="btn bg-red-600 text-white hover:bg-red-500"
            onClick={() => {
              const token = revoking;
              dialog.current?.close();
              if (token) void revoke(token);
            }}
          >
            {t("apiTokens.revokeToken")}
          </button>
        </div>
      </dialog>
    </section>
  );
}
