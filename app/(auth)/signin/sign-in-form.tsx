"use client";
// The sign-in form; errors stay on the form, nothing is lost on a failed attempt.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

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
  const router = useRouter();
  const [error, setError] = useState(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const username = String(form.get("username") ?? "").trim();
    const password = String(form.get("password") ?? "");
    if (!username || !password) {
      setError("Enter your username and password.");
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const res = await signIn("credentials", { username, password, redirect: false });
      if (!res || res.error) {
        const limited = /^RateLimited:(\d+)$/.exec(res?.error ?? "");
        const wait = Number(limited?.[1]);
        setError(
          limited
            ? `Too many failed attempts — try again in ${wait < 60 ? `${wait} s` : `${Math.ceil(wait / 60)} min`}.`
            : res?.error === "CredentialsSignin" || !res
              ? "Wrong username or password."
              : "Sign-in failed. Try again.",
        );
        return;
      }
      router.replace(callbackUrl);
      router.refresh();
    } catch {
      setError("Could not reach Beacon. Check your connection and try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
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
              Username
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
              Password
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
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
      )}
      {providers.length > 0 && (
        <div className={passwordSignIn ? "mt-5 space-y-2" : "space-y-2"}>
          {passwordSignIn && (
            <div className="flex items-center gap-2 text-xs text-zinc-500">
              <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" /> or{" "}
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
              Sign in with {p.name}
            </button>
          ))}
        </div>
      )}
      {passwordSignIn && (
        <p className="mt-5 text-center text-sm text-zinc-600 dark:text-zinc-400">
          New here?{" "}
          <Link
            href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}
            className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
          >
            Create an account
          </Link>
        </p>
      )}
    </div>
  );
}
