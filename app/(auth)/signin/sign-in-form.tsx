"use client";
// The sign-in form; errors stay on the form, nothing is lost on a failed attempt.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useApiText } from "@/lib/i18n/api-text";
import { signInErrorKey } from "./sign-in-errors";

export function SignInForm({
  callbackUrl,
  providers,
  initialError,
  passwordSignIn = true,
}: {
  callbackUrl: string;
  providers: { id: string; name: string }[];
  initialError?: string;
  /** false in SSO-only mode (AUTH_PASSWORD=off): only the provider buttons. */
  passwordSignIn?: boolean;
}) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const apiText = useApiText();
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);
  /** Set after a right password for an account with two-factor: the code step (sign-in-steps.ts). */
  const [challenge, setChallenge] = useState<string>();

  /** The form's sentence for next-auth's `error` (never the raw text, except our own code-step messages). */
  function sentenceFor(err: string | undefined): string {
    const limited = /^RateLimited:(\d+)$/.exec(err ?? "");
    const wait = Number(limited?.[1]);
    if (limited)
      return wait < 60
        ? te("signIn.rateLimitedSeconds", { seconds: wait })
        : te("signIn.rateLimitedMinutes", { minutes: Math.ceil(wait / 60) });
    if (err?.startsWith("TwoFactorFailed:")) return apiText(err.slice("TwoFactorFailed:".length));
    if (err === "TwoFactorExpired") return te("signIn.expired");
    if (err === "CredentialsSignin" || !err) return te("signIn.wrongPassword");
    return te(signInErrorKey(err) ?? "signIn.failed");
  }

  function signedIn() {
    router.replace(callbackUrl);
    router.refresh();
  }

  if (challenge)
    return (
      <TwoFactorStep
        challenge={challenge}
        sentenceFor={sentenceFor}
        onDone={signedIn}
        onRestart={(message) => {
          setChallenge(undefined);
          setError(message);
        }}
      />
    );

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!username || !password) {
      setError(te("signIn.missingFields"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await signIn("credentials", { username, password, redirect: false });
      if (res?.error?.startsWith("TwoFactorRequired:")) {
        setChallenge(res.error.slice("TwoFactorRequired:".length));
        return;
      }
      if (!res || res.error) {
        setError(sentenceFor(res?.error ?? undefined));
        return;
      }
      signedIn();
    } catch {
      setError(te("unreachable"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h1 className="mb-4 text-lg font-semibold">{t("signIn.title")}</h1>
      {!passwordSignIn && error && (
        <p
          role="alert"
          className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700 dark:bg-red-950/50 dark:text-red-300"
        >
          {error}
        </p>
      )}
      {passwordSignIn && (
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          <div>
            <label htmlFor="username" className="label">
              {t("signIn.username")}
            </label>
            <input
              id="username"
              name="username"
              autoComplete="username"
              className="input"
              required
              autoFocus
            />
          </div>
          <div>
            <label htmlFor="password" className="label">
              {t("signIn.password")}
            </label>
            <input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              className="input"
              required
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
            {busy ? t("signIn.submitting") : t("signIn.submit")}
          </button>
        </form>
      )}
      {providers.length > 0 && (
        <div className={passwordSignIn ? "mt-5 space-y-2" : "space-y-2"}>
          {passwordSignIn && (
            <div className="flex items-center gap-2 text-xs text-zinc-500">
              <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" /> {t("signIn.or")}{" "}
              <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            </div>
          )}
          {providers.map((p) => (
            <button
              key={p.id}
              type="button"
              className="btn-secondary w-full py-2"
              onClick={() => void signIn(p.id, { callbackUrl })}
            >
              {t("signIn.withProvider", { provider: p.name })}
            </button>
          ))}
        </div>
      )}
      {passwordSignIn && (
        <p className="mt-5 text-center text-sm text-zinc-600 dark:text-zinc-400">
          {t.rich("signIn.newHere", {
            link: (chunks) => (
              <Link
                href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}
                className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
              >
                {chunks}
              </Link>
            ),
          })}
        </p>
      )}
    </div>
  );
}

/** Step two: the authenticator code (or a recovery code) for the password just checked. */
function TwoFactorStep({
  challenge,
  sentenceFor,
  onDone,
  onRestart,
}: {
  challenge: string;
  sentenceFor(err: string | undefined): string;
  onDone(): void;
  onRestart(message: string): void;
}) {
  const t = useTranslations("auth");
  const te = useTranslations("errors");
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get("code") ?? "").trim();
    if (!value) return setError(recovery ? t("twoFactor.enterRecovery") : t("twoFactor.enterCode"));
    setBusy(true);
    setError(undefined);
    try {
      const res = await signIn("credentials", {
        challenge,
        ...(recovery ? { recoveryCode: value } : { code: value }),
        redirect: false,
      });
      if (res && !res.error) return onDone();
      if (res?.error === "TwoFactorExpired") return onRestart(sentenceFor(res.error));
      setError(sentenceFor(res?.error ?? undefined));
    } catch {
      setError(te("unreachable"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h1 className="mb-2 text-lg font-semibold">{t("twoFactor.title")}</h1>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        {recovery ? t("twoFactor.introRecovery") : t("twoFactor.introCode")}
      </p>
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <div>
          <label htmlFor="code" className="label">
            {recovery ? t("twoFactor.recoveryLabel") : t("twoFactor.codeLabel")}
          </label>
          <input
            key={recovery ? "recovery" : "code"}
            id="code"
            name="code"
            className="input font-mono tracking-wider"
            autoComplete="one-time-code"
            inputMode={recovery ? "text" : "numeric"}
            maxLength={recovery ? 16 : 7}
            required
            autoFocus
            aria-invalid={error ? true : undefined}
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
          {busy ? t("twoFactor.checking") : t("twoFactor.verify")}
        </button>
      </form>
      <button
        type="button"
        className="btn-ghost mt-3 w-full text-sm"
        onClick={() => {
          setRecovery(!recovery);
          setError(undefined);
        }}
      >
        {recovery ? t("twoFactor.useApp") : t("twoFactor.useRecovery")}
      </button>
    </div>
  );
}
