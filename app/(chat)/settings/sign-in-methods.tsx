"use client";
// Link or unlink a provider. Linking is a round trip through the provider that comes back here
// (?linked= or ?linkError=); the server never unlinks the last way to sign in.
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { apiFetch } from "../_components/api";

const LINK_ERRORS: Record<string, string> = {
  elsewhere:
    "That account is already linked to another Beacon account. Sign in with it and unlink it there first.",
  already: "You already have an account of that provider linked. Unlink it first.",
  expired: "Linking took too long or was started in another session. Try again.",
  failed: "Linking failed. Try again.",
};

export function SignInMethods({
  password,
  passwordSignIn,
  providers,
}: {
  password: boolean;
  passwordSignIn: boolean;
  providers: { id: string; name: string; linked: boolean }[];
}) {
  const router = useRouter();
  const params = useSearchParams();
  const linkedNow = providers.find((p) => p.id === params.get("linked"));
  const linkError = params.get("linkError");
  const [error, setError] = useState<string | undefined>(
    linkError
      ? Object.hasOwn(LINK_ERRORS, linkError)
        ? LINK_ERRORS[linkError]
        : LINK_ERRORS.failed
      : undefined,
  );
  const [status, setStatus] = useState<string | undefined>(
    linkedNow ? `${linkedNow.name} is linked.` : undefined,
  );
  const [busy, setBusy] = useState<string>();

  async function link(p: { id: string; name: string }) {
    setBusy(p.id);
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch("/api/account/sign-in-methods/link", {
      method: "POST",
      body: { provider: p.id },
    });
    if (!res.ok) {
      setBusy(undefined);
      return setError(res.message);
    }
    await signIn(p.id, { callbackUrl: "/settings" });
  }

  async function unlink(p: { id: string; name: string }) {
    setBusy(p.id);
    setError(undefined);
    setStatus(undefined);
    const res = await apiFetch(`/api/account/sign-in-methods/${encodeURIComponent(p.id)}`, {
      method: "DELETE",
    });
    setBusy(undefined);
    if (!res.ok) return setError(res.message);
    setStatus(`${p.name} is unlinked.`);
    router.replace("/settings");
    router.refresh();
  }

  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="methods-heading" className="mt-8 space-y-3">
      <h2 id="methods-heading" className="text-base font-semibold">
        Sign-in methods
      </h2>
      <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        <li className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
          <span>Password</span>
          <span className="text-zinc-500">
            {!passwordSignIn ? "Turned off on this server" : password ? "Set" : "Not set"}
          </span>
        </li>
        {providers.map((p) => (
          <li key={p.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
            <span>
              {p.name} <span className="text-zinc-500">· {p.linked ? "Linked" : "Not linked"}</span>
            </span>
            {p.linked ? (
              <button
                type="button"
                className="btn-secondary"
                disabled={busy !== undefined}
                onClick={() => void unlink(p)}
              >
                Unlink {p.name}
              </button>
            ) : (
              <button
                type="button"
                className="btn-secondary"
                disabled={busy !== undefined}
                onClick={() => void link(p)}
              >
                Link {p.name}
              </button>
            )}
          </li>
        ))}
      </ul>
      {status && (
        <p role="status" className="text-sm text-green-700 dark:text-green-400">
          {status}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </section>
  );
}
