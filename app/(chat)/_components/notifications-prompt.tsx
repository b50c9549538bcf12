"use client";
// Browser notifications are only requested from a click, never on page load. "Don't ask again"
// hides the offer for good in this browser (localStorage), whatever the permission stays.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";

export const NOTIFICATIONS_PROMPT_KEY = "beacon:notifications-prompt";

export function NotificationsPrompt() {
  const t = useTranslations("chat.notifications");
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("granted");
  const [dismissed, setDismissed] = useState(true);
  useEffect(() => {
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
    try {
      setDismissed(localStorage.getItem(NOTIFICATIONS_PROMPT_KEY) === "dismissed");
    } catch {
      setDismissed(false); // storage blocked: the offer shows, and "Don't ask again" hides it here
    }
  }, []);
  if (permission !== "default" || dismissed) return null;
  return (
    <section
      aria-label={t("label")}
      className="mx-3 mb-2 rounded-md border border-zinc-200 p-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400"
    >
      {t("offer")}
      <div className="mt-1.5 flex flex-col gap-1">
        <button
          type="button"
          className="btn-secondary py-1 text-xs"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          {t("enable")}
        </button>
        <button
          type="button"
          className="btn-ghost py-1 text-xs"
          onClick={() => {
            setDismissed(true);
            try {
              localStorage.setItem(NOTIFICATIONS_PROMPT_KEY, "dismissed");
            } catch {
              // storage blocked: hidden for this page only
            }
          }}
        >
          {t("dontAsk")}
        </button>
      </div>
    </section>
  );
}
