"use client";
// The username choice after a collision: create the account under another username, or sign in to
// the existing account with its password and link this identity there (explicitly, next page).
import Link from "next/link";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useApiText } from "@/lib/i18n/api-text";

export function ChooseUsername({
  provider,
  providerName,
  wanted,
  suggestion,
  who,
  passwordSignIn,
}: {
  provider: string;
  providerName: string;
  wanted: string;
  suggestion: string;
  who: string;
  passwordSignIn: boolean;
}) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const username = String(new FormData(e.currentTarget).get("username") ?? "").trim();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch("/api/signin/choose", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username }),
      });
      if (!res.ok) {
        const body = (await res.json().catch(() => null)) as {
          error?: { message?: string; fields?: Record<string, string[]> };
        } | null;
        const message = body?.error?.fields?.username?.[0] ?? body?.error?.message;
        setError(message ? apiText(message) : t("choose.failed"));
        setBusy(false);
        return;
      }
      // The identity is linked now: the provider's session signs us straight in.
      await signIn(provider, { callbackUrl: "/" });
    } catch {
      setError(te("unreachable"));
      setBusy(false);
    }
  }

  return (
    <div>
      <h1 className="mb-2 text-lg font-semibold">{t("choose.title")}</h1>
      <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300">
        {t.rich(who ? "choose.introAs" : "choose.intro", {
          provider: providerName,
          who,
          wanted,
          b: (chunks) => <strong>{chunks}</strong>,
        })}
      </p>
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <div>
          <label htmlFor="username" className="label">
            {t("choose.username")}
          </label>
          <input
            id="username"
            name="username"
            defaultValue={suggestion}
            autoComplete="username"
            className="input"
            aria-describedby="username-hint"
            required
          />
          <p id="username-hint" className="mt-1 text-xs text-zinc-500">
            {t("choose.hint", { suggestion })}
          </p>
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
          {busy ? t("choose.submitting") : t("choose.submit")}
        </button>
      </form>
      {passwordSignIn && (
        <div className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">{t("choose.isYours", { wanted })}</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            {t("choose.linkHint", { provider: providerName })}
          </p>
          <Link
            href={`/signin?callbackUrl=${encodeURIComponent("/settings/link")}`}
            className="btn-secondary mt-3 block w-full py-2 text-center"
          >
            {t("choose.linkButton")}
          </Link>
        </div>
      )}
    </div>
  );
}
