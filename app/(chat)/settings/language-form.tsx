"use client";
// Settings → Language: "Browser default" or one of Beacon's languages, each named in itself. The choice
// is saved on the account, so every device follows it, and as this device's cookie; the page then
// renders anew in it (lib/i18n/locales.ts).
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState, useTransition } from "react";
import { useApiText } from "@/lib/i18n/api-text";
import { LOCALE_NAMES, LOCALES, type Locale } from "@/lib/i18n/locales";
import { apiFetch } from "../_components/api";

export function LanguageForm({ saved }: { saved: Locale | "" }) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [refreshing, startTransition] = useTransition();
  const [status, setStatus] = useState<{ saved: true } | { error: string }>();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const locale = String(new FormData(e.currentTarget).get("locale") ?? "");
    setBusy(true);
    setStatus(undefined);
    const res = await apiFetch<{ locale: string }>("/api/account/locale", {
      method: "PUT",
      body: { locale },
    });
    setBusy(false);
    if (!res.ok) return setStatus({ error: res.code === "offline" ? te("offline") : apiText(res.message) });
    setStatus({ saved: true });
    // The cookie is set: the server renders this page (and <html lang dir>) in the new language.
    startTransition(() => router.refresh());
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <h2 id="language-heading" className="text-base font-semibold">
        {t("language.title")}
      </h2>
      <p id="language-hint" className="text-sm text-zinc-600 dark:text-zinc-400">
        {t("language.hint")}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <select
          name="locale"
          defaultValue={saved}
          aria-labelledby="language-heading"
          aria-describedby="language-hint"
          className="input w-auto min-w-48"
        >
          <option value="">{t("language.browserDefault")}</option>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </select>
        <button type="submit" className="btn-primary" disabled={busy || refreshing}>
          {busy || refreshing ? t("language.saving") : t("language.save")}
        </button>
      </div>
      {status && "error" in status && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {status.error}
        </p>
      )}
      {status && "saved" in status && !refreshing && (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
          {t("language.saved")}
        </p>
      )}
    </form>
  );
}
