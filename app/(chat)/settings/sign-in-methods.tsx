"use client";
// Link or unlink a provider. Linking is a round trip through the provider that comes back here
// (?linked= or ?linkError=); the server never unlinks the last way to sign in.
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { apiFetch } from "../_components/api";

/** The ?linkError= reasons the link round trip comes back with (settings.signInMethods.linkErrors). */
const LINK_ERRORS = new Set(["elsewhere", "already", "expired", "failed"]);

export function SignInMethods({
  password,
  passwordSignIn,
  providers,
}: {
  password: boolean;
  passwordSignIn: boolean;
  providers: { id: string; name: string; linked: boolean }[];
}) {
  const t = useTranslations("settings");
  const router = useRouter();
  const params = useSearchParams();
  const linkedNow = providers.find((p) => p.id === params.get("linked"));
  const linkError = params.get("linkError");
  const [error, setError] = useState<string | undefined>(
    linkError
      ? t(`signInMethods.linkErrors.${LINK_ERRORS.has(linkError) ? linkError : "failed"}`)
      : undefined,
  );
  const [status, setStatus] = useState<string | undefined>(
    linkedNow ? t("signInMethods.linkedStatus", { provider: linkedNow.name }) : undefined,
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
    setStatus(t("signInMethods.unlinkedStatus", { provider: p.name }));
    router.replace("/settings");
    router.refresh();
  }

  if (providers.length === 0) return null;
  return (
    <section aria-labelledby="methods-heading" className="mt-8 space-y-3">
      <h2 id="methods-heading" className="text-base font-semibold">
        {t("signInMethods.heading")}
      </h2>
      <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
        <li className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
          <span>{t("signInMethods.password")}</span>
          <span className="text-zinc-500">
            {!passwordSignIn
              ? t("signInMethods.passwordOff")
              : password
                ? t("signInMethods.set")
                : t("signInMethods.notSet")}
          </span>
        </li>
        {providers.map((p) => (
          <li key={p.id} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
            <span>
              {p.name}{" "}
              <span className="text-zinc-500">
                · {p.linked ? t("signInMethods.linked") : t("signInMethods.notLinked")}
              </span>
            </span>
            {p.linked ? (
              <button
                type="button"
                className="btn-secondary"
                disabled={busy !== undefined}
                onClick={() => void unlink(p)}
              >
                {t("signInMethods.unlink", { provider: p.name })}
              </button>
            ) : (
              <button
                type="button"
                className="btn-secondary"
                disabled={busy !== undefined}
                onClick={() => void link(p)}
              >
                {t("signInMethods.link", { provider: p.name })}
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
