"use client";
// The username choice after a collision: create the account under another username, or sign in to
// the existing account with its password and link this identity there (explicitly, next page).
import Link from "next/link";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";

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
        setError(
          body?.error?.fields?.username?.[0] ??
            body?.error?.message ??
            "Could not create the account. Try again.",
        );
        setBusy(false);
        return;
      }
      // The identity is linked now: the provider's session signs us straight in.
      await signIn(provider, { callbackUrl: "/" });
    } catch {
      setError("Could not reach Beacon. Check your connection and try again.");
      setBusy(false);
    }
  }

  return (
    <div>
      <h1 className="mb-2 text-lg font-semibold">Choose a username</h1>
      <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300">
        You signed in with {providerName}
        {who ? ` as ${who}` : ""}. The username <strong>@{wanted}</strong> already belongs to another Beacon
        account.
      </p>
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <div>
          <label htmlFor="username" className="label">
            Username
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
            3–32 letters, digits, _ . or -. @{suggestion} is free.
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
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </form>
      {passwordSignIn && (
        <div className="mt-6 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">Is @{wanted} your account?</h2>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Sign in with its password, then confirm linking {providerName} to it.
          </p>
          <Link
            href={`/signin?callbackUrl=${encodeURIComponent("/settings/link")}`}
            className="btn-secondary mt-3 block w-full py-2 text-center"
          >
            This is my account: sign in with password to link
          </Link>
        </div>
      )}
    </div>
  );
}
