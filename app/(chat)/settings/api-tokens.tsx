"use client";
// API tokens (lib/tokens): one component for my own tokens (Settings → API tokens) and for each
// bot's (Settings → Bots). Create (name, scopes, expiry), see the new token once with Copy, list the
// live ones (prefix, scopes, dates, last use and address) and revoke one after a confirmation.
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { type CreatedToken, TOKEN_SCOPES, type TokenScope, type TokenView } from "@/lib/tokens/tokens.schema";
import { apiFetch } from "../_components/api";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const fmt = (iso: string) => when.format(new Date(iso));

const SCOPE_LABELS: Record<TokenScope, { label: string; help: string }> = {
  read: { label: "Read", help: "read rooms, messages and people (GET requests, history over the socket)" },
  write: { label: "Write", help: "send and change messages, join rooms, upload files" },
  admin: { label: "Admin", help: "the admin console's API, while the account is an admin" },
};

const EXPIRY = [
  { value: "", label: "Never" },
  { value: "7", label: "In 7 days" },
  { value: "30", label: "In 30 days" },
  { value: "90", label: "In 90 days" },
  { value: "365", label: "In 365 days" },
] as const;

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
    setTokens((t) => [view, ...(t ?? [])]);
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

  async function revoke(t: TokenView) {
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch(`${endpoint}/${encodeURIComponent(t.id)}`, { method: "DELETE" });
    if (!res.ok && res.status !== 404) return setError(res.message);
    setTokens((all) => (all ?? []).filter((x) => x.id !== t.id));
    if (created?.id === t.id) setCreated(null);
    setStatus(`Token “${t.name}” revoked. Anything using it stops working now.`);
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
            Token name
          </label>
          <input
            id={`${id}-name`}
            name="name"
            maxLength={64}
            required
            placeholder="e.g. deploy script"
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
          <legend className="label">Scopes</legend>
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
                  {SCOPE_LABELS[s].label}
                  <span className="text-zinc-500">: {SCOPE_LABELS[s].help}</span>
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
            Expires
          </label>
          <select id={`${id}-expires`} name="expires" defaultValue="90" className="input w-48">
            {EXPIRY.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {fields.expiresInDays && <p className="field-error">{fields.expiresInDays}</p>}
        </div>
        <button type="submit" className="btn-primary" disabled={busy}>
          {busy ? "Creating…" : "Create token"}
        </button>
      </form>
      {created && (
        <section
          aria-label="New token"
          className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40"
        >
          <p className="font-medium">
            Copy the token “{created.name}” now: you will not see it again. Beacon keeps only a hash of it.
          </p>
          <div className="flex gap-2">
            <label htmlFor={`${id}-new`} className="sr-only">
              New token
            </label>
            <input
              id={`${id}-new`}
              ref={tokenField}
              readOnly
              value={created.token}
              className="input font-mono text-xs"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="btn-secondary" onClick={() => void copy()}>
              {copied === "copied" ? "Copied" : "Copy"}
            </button>
          </div>
          <p role="status" className="text-xs text-zinc-600 dark:text-zinc-400">
            {copied === "copied"
              ? "Copied to the clipboard."
              : copied === "failed"
                ? "Could not copy: select the token and copy it by hand."
                : ""}
          </p>
          <button type="button" className="btn-ghost text-xs" onClick={() => setCreated(null)}>
            I have copied it
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
        !error && <p className="text-sm text-zinc-500">Loading tokens…</p>
      ) : tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">No tokens yet.</p>
      ) : (
        <ul
          aria-label={`${title}: list`}
          className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {tokens.map((t) => (
            <li key={t.id} aria-label={t.name} className="flex items-start gap-3 p-3 text-sm">
              <div className="min-w-0 flex-1 space-y-0.5">
                <p className="font-medium">
                  {t.name} <code className="text-xs text-zinc-500">{t.prefix}…</code>
                </p>
                <p className="text-xs text-zinc-600 dark:text-zinc-400">
                  Scopes: {t.scopes.map((s) => SCOPE_LABELS[s].label).join(", ")}
                </p>
                <p className="text-xs text-zinc-500" suppressHydrationWarning>
                  Created {fmt(t.createdAt)} · {t.expiresAt ? `expires ${fmt(t.expiresAt)}` : "never expires"}
                </p>
                <p className="text-xs text-zinc-500" suppressHydrationWarning>
                  {t.lastUsedAt
                    ? `Last used ${fmt(t.lastUsedAt)}${t.lastUsedIp ? ` from ${t.lastUsedIp}` : ""}`
                    : "Never used"}
                </p>
              </div>
              <button
                type="button"
                className="btn-secondary shrink-0 text-sm"
                aria-label={`Revoke ${t.name}`}
                onClick={() => {
                  setRevoking(t);
                  dialog.current?.showModal();
                }}
              >
                Revoke
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
          Revoke “{revoking?.name}”?
        </h3>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Anything using this token stops working at once, and its open connections are closed. This cannot be
          undone.
        </p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className="btn-ghost" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button
            type="button"
            className="btn bg-red-600 text-white hover:bg-red-500"
            onClick={() => {
              const t = revoking;
              dialog.current?.close();
              if (t) void revoke(t);
            }}
          >
            Revoke token
          </button>
        </div>
      </dialog>
    </section>
  );
}
