"use client";
// Settings → Your devices: every signed-in session of mine, with Sign out for each other one and
// "Sign out everywhere else". A signed-out session's tabs go to sign-in at once (its sockets close).
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useMemo, useState } from "react";
import type { Device } from "@/lib/sessions/sessions.schema";
import { UNKNOWN_BROWSER, UNKNOWN_SYSTEM } from "@/lib/sessions/user-agent";
import { apiFetch } from "../_components/api";

export function Devices({ devices }: { devices: Device[] }) {
  const t = useTranslations("settings");
  const locale = useLocale();
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const others = devices.filter((d) => !d.current).length;
  // The reader's language; the browser's own time zone, as before.
  const when = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
    [locale],
  );

  function ago(iso: string): string {
    const s = Math.max(0, (Date.now() - new Date(iso).getTime()) / 1000);
    if (s < 120) return t("devices.justNow");
    if (s < 3600) return t("devices.minutesAgo", { minutes: Math.floor(s / 60) });
    if (s < 86_400) return t("devices.hoursAgo", { hours: Math.floor(s / 3600) });
    return when.format(new Date(iso));
  }

  async function act(key: string, url: string, method: "DELETE" | "POST") {
    setBusy(key);
    setError(undefined);
    const res = await apiFetch(url, { method });
    setBusy(undefined);
    if (!res.ok) return setError(res.message);
    router.refresh();
  }

  return (
    <section aria-labelledby="devices-heading" className="space-y-3">
      <h2 id="devices-heading" className="text-base font-semibold">
        {t("devices.heading")}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("devices.intro")}</p>
      <ul
        aria-label={t("devices.listLabel")}
        className="divide-y divide-zinc-200 rounded-md border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
      >
        {devices.map((d) => {
          const name = t("devices.name", {
            browser: d.browser === UNKNOWN_BROWSER ? t("devices.unknownBrowser") : d.browser,
            os: d.os === UNKNOWN_SYSTEM ? t("devices.unknownSystem") : d.os,
          });
          return (
            <li
              key={d.sid}
              aria-label={d.current ? t("devices.currentLabel", { device: name }) : name}
              className="flex items-center gap-3 p-3"
            >
              <div className="min-w-0 flex-1 text-sm">
                <p className="font-medium">
                  {name}
                  {d.current && (
                    <span className="ms-2 rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-medium text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-300">
                      {t("devices.thisDevice")}
                    </span>
                  )}
                </p>
                <p className="text-xs text-zinc-500">
                  {t.rich("devices.details", {
                    ip: d.ip || t("devices.unknownAddress"),
                    signedInAt: when.format(new Date(d.createdAt)),
                    lastSeenAt: d.current ? t("devices.now") : ago(d.lastSeenAt),
                    signedIn: (chunks) => (
                      <time dateTime={d.createdAt} suppressHydrationWarning>
                        {chunks}
                      </time>
                    ),
                    lastSeen: (chunks) => (
                      <time dateTime={d.lastSeenAt} suppressHydrationWarning>
                        {chunks}
                      </time>
                    ),
                  })}
                </p>
              </div>
              {!d.current && (
                <button
                  type="button"
                  className="btn-secondary shrink-0 text-sm"
                  aria-label={t("devices.signOutLabel", { device: name })}
                  disabled={busy !== undefined}
                  onClick={() =>
                    void act(d.sid, `/api/account/sessions/${encodeURIComponent(d.sid)}`, "DELETE")
                  }
                >
                  {busy === d.sid ? t("devices.signingOut") : t("devices.signOut")}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {error && (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
      {others > 0 && (
        <button
          type="button"
          className="btn-secondary"
          disabled={busy !== undefined}
          onClick={() => void act("others", "/api/account/sessions/sign-out-others", "POST")}
        >
          {busy === "others" ? t("devices.signingOut") : t("devices.signOutOthers")}
        </button>
      )}
    </section>
  );
}
