"use client";
// Settings → Two-factor authentication: set up (QR code + secret, confirm with a code), the ten
// recovery codes shown once (copy / download), new recovery codes, and turning it off.
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import type { TwoFactorSetup, TwoFactorStatus } from "@/lib/auth/two-factor.schema";
import { apiFetch } from "../_components/api";

export function TwoFactorSettings({ status, onEnabled }: { status: TwoFactorStatus; onEnabled?(): void }) {
  const t = useTranslations("settings");
  const router = useRouter();
  const [setup, setSetup] = useState<TwoFactorSetup>();
  const [codes, setCodes] = useState<string[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [mode, setMode] = useState<"disable" | "regenerate">();

  async function begin() {
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<TwoFactorSetup>("/api/account/two-factor/setup", { method: "POST" });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    setSetup(res.data);
  }

  async function post(url: string, body: unknown): Promise<{ recoveryCodes?: string[] } | undefined> {
    setBusy(true);
    setError(undefined);
    const res = await apiFetch<{ recoveryCodes?: string[] }>(url, { method: "POST", body });
    setBusy(false);
    if (!res.ok) {
      setError(res.fields?.code ?? res.fields?.recoveryCode ?? res.message);
      return undefined;
    }
    return res.data;
  }

  async function confirm(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get("code") ?? "");
    const done = await post("/api/account/two-factor/enable", { code });
    if (!done?.recoveryCodes) return;
    setSetup(undefined);
    setCodes(done.recoveryCodes);
  }

  async function withCode(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("code") ?? "").trim();
    const body = /^\d[\d\s]*$/.test(value) ? { code: value } : { recoveryCode: value };
    if (mode === "disable") {
      if (!(await post("/api/account/two-factor/disable", body))) return;
      setMode(undefined);
      router.refresh();
    } else {
      const done = await post("/api/account/two-factor/recovery-codes", body);
      if (!done?.recoveryCodes) return;
      setMode(undefined);
      setCodes(done.recoveryCodes);
    }
  }

  const codesText = codes ? `${t("twoFactor.codesFileHeading")}\n\n${codes.join("\n")}\n` : "";

  return (
    <section aria-labelledby="two-factor-heading" className="space-y-3">
      <h2 id="two-factor-heading" className="text-base font-semibold">
        {t("twoFactor.heading")}
      </h2>
      {!status.available ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("twoFactor.identityProvider")}</p>
      ) : codes ? (
        <div className="space-y-3">
          <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">
            {t("twoFactor.enabledSaveCodes")}
          </p>
          <ul
            aria-label={t("twoFactor.recoveryCodes")}
            className="grid grid-cols-2 gap-1 rounded-md border border-zinc-200 bg-zinc-50 p-3 font-mono text-sm dark:border-zinc-800 dark:bg-zinc-900"
          >
            {codes.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
          <div className="flex flex-wrap gap-2">
            <button
              type="button"
              className="btn-secondary"
              onClick={() =>
                void navigator.clipboard
                  ?.writeText(codesText)
                  .catch(() => setError(t("twoFactor.copyFailed")))
              }
            >
              {t("twoFactor.copyCodes")}
            </button>
            <a
              className="btn-secondary"
              download="beacon-recovery-codes.txt"
              href={`data:text/plain;charset=utf-8,${encodeURIComponent(codesText)}`}
            >
              {t("twoFactor.downloadCodes")}
            </a>
            <button
              type="button"
              className="btn-primary"
              onClick={() => {
                setCodes(undefined);
                onEnabled?.();
                router.refresh();
              }}
            >
              {t("twoFactor.savedCodes")}
            </button>
          </div>
        </div>
      ) : setup ? (
        <form onSubmit={confirm} className="space-y-3" noValidate>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("twoFactor.scanIntro")}</p>
          {/* biome-ignore lint/performance/noImgElement: a data URL made on the server, no optimisation to gain */}
          <img
            src={setup.qr}
            alt={t("twoFactor.qrAlt")}
            width={192}
            height={192}
            className="rounded-md border border-zinc-200 bg-white dark:border-zinc-700"
          />
          <div>
            <label htmlFor="totp-secret" className="label">
              {t("twoFactor.setupKey")}
            </label>
            <input
              id="totp-secret"
              readOnly
              dir="ltr"
              value={setup.secret}
              className="input font-mono text-sm"
              onFocus={(e) => e.currentTarget.select()}
            />
          </div>
          <div>
            <label htmlFor="setup-code" className="label">
              {t("twoFactor.codeFromApp")}
            </label>
            <input
              id="setup-code"
              name="code"
              className="input font-mono"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              aria-invalid={error ? true : undefined}
            />
          </div>
          {error && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <div className="flex gap-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              {busy ? t("twoFactor.checking") : t("twoFactor.turnOn")}
            </button>
            <button type="button" className="btn-ghost" onClick={() => setSetup(undefined)}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : status.enabled ? (
        <div className="space-y-3">
          <p className="text-sm">
            {t.rich("twoFactor.onSummary", {
              count: status.recoveryCodesLeft,
              on: (chunks) => (
                <span className="font-medium text-emerald-700 dark:text-emerald-400">{chunks}</span>
              ),
            })}
          </p>
          {mode ? (
            <form onSubmit={withCode} className="space-y-2" noValidate>
              <label htmlFor="tf-code" className="label">
                {mode === "disable" ? t("twoFactor.disableCodeLabel") : t("twoFactor.regenerateCodeLabel")}
              </label>
              <input id="tf-code" name="code" className="input font-mono" autoComplete="one-time-code" />
              {error && (
                <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                  {error}
                </p>
              )}
              <div className="flex gap-2">
                <button
                  type="submit"
                  className={
                    mode === "disable" ? "btn bg-red-600 text-white hover:bg-red-500" : "btn-primary"
                  }
                  disabled={busy}
                >
                  {mode === "disable" ? t("twoFactor.turnOff") : t("twoFactor.makeNewCodes")}
                </button>
                <button type="button" className="btn-ghost" onClick={() => setMode(undefined)}>
                  {t("cancel")}
                </button>
              </div>
            </form>
          ) : (
            <div className="flex flex-wrap gap-2">
              <button type="button" className="btn-secondary" onClick={() => setMode("regenerate")}>
                {t("twoFactor.newCodes")}
              </button>
              {status.required ? (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("twoFactor.required")}</p>
              ) : (
                <button type="button" className="btn-secondary" onClick={() => setMode("disable")}>
                  {t("twoFactor.turnOff")}
                </button>
              )}
            </div>
          )}
        </div>
      ) : (
        <div className="space-y-3">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("twoFactor.offSummary")}</p>
          {error && (
            <p role="alert" className="text-sm text-red-600 dark:text-red-400">
              {error}
            </p>
          )}
          <button type="button" className="btn-primary" disabled={busy} onClick={() => void begin()}>
            {t("twoFactor.setUp")}
          </button>
        </div>
      )}
    </section>
  );
}
