"use client";
// End every session of this account (other browsers, other devices, a lost phone), this one too.
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { clearBrowserOutboxes } from "@/lib/messages/outbox";
import { setSigningOut } from "@/lib/realtime/client/socket";
import { apiFetch } from "../_components/api";

export function SignOutEverywhere() {
  const t = useTranslations("settings");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function onClick() {
    setBusy(true);
    setError(undefined);
    // This tab's socket is closed too; this tab goes to sign-in by itself.
    setSigningOut(true);
    const res = await apiFetch("/api/account/sign-out-everywhere", { method: "POST" });
    if (!res.ok) {
      setSigningOut(false);
      setBusy(false);
      return setError(res.message);
    }
    // Every session has ended, this one too: drop its cookie (and revoke its id, harmlessly) and
    // this browser's unsent messages. If the cookie cannot be dropped now, it no longer works anyway.
    clearBrowserOutboxes();
    await signOut({ redirect: false }).catch(() => undefined);
    window.location.assign("/signin");
  }

  return (
    <section aria-labelledby="sessions-heading" className="mt-8 space-y-3">
      <h2 id="sessions-heading" className="text-base font-semibold">
        {t("sessions.heading")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("sessions.intro")}</p>
      {error && (
        <p role="alert" className="text-sm text-red-600">
          {error}
        </p>
      )}
      <button type="button" className="btn-secondary" disabled={busy} onClick={() => void onClick()}>
        {busy ? t("sessions.signingOut") : t("sessions.submit")}
      </button>
    </section>
  );
}
