"use client";
// New password + confirm; errors stay on the form. On success, a link to sign in with it.
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { apiFetch } from "@/app/(chat)/_components/api";
import { useApiText } from "@/lib/i18n/api-text";

export function ResetForm({ token, username }: { token: string; username: string }) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const [error, setError] = useState<string>();
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    const confirm = String(form.get("confirm") ?? "");
    if (password !== confirm) {
      setFields({ confirm: te("api.passwordsDoNotMatch") });
      setError(te("api.passwordsDoNotMatch"));
      return;
    }
    setBusy(true);
    setError(undefined);
    setFields({});
    const res = await apiFetch<{ ok: true }>("/api/reset", {
      method: "POST",
      body: { token, password, confirm },
    });
    setBusy(false);
    if (res.ok) return setDone(true);
    setError(res.code === "offline" ? te("offline") : apiText(res.message));
    setFields(Object.fromEntries(Object.entries(res.fields ?? {}).map(([k, v]) => [k, apiText(v)])));
  }

  if (done)
    return (
      <div>
        <p role="status" className="text-sm">
          {t("reset.done", { username })}
        </p>
        <p className="mt-4">
          <Link href="/signin" className="btn-primary w-full py-2">
            {t("reset.signIn")}
          </Link>
        </p>
      </div>
    );

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        {t.rich("reset.intro", { username, b: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <div>
        <label htmlFor="password" className="label">
          {t("reset.newPassword")}
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          className="input"
          required
          aria-invalid={fields.password ? true : undefined}
          aria-describedby={fields.password ? "password-error" : undefined}
        />
        {fields.password && (
          <p id="password-error" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {fields.password}
          </p>
        )}
      </div>
      <div>
        <label htmlFor="confirm" className="label">
          {t("reset.confirm")}
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          className="input"
          required
          aria-invalid={fields.confirm ? true : undefined}
        />
      </div>
      {error && (
        <p
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {error}
        </p>
      )}
      <button type="submit" className="btn-primary w-full py-2" disabled={busy}>
        {busy ? t("reset.saving") : t("reset.submit")}
      </button>
    </form>
  );
}
