"use client";
// Browser notifications are only requested from a click, never on page load.
import { useEffect, useState } from "react";

export function NotificationsPrompt() {
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("granted");
  useEffect(() => {
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);
  if (permission !== "default") return null;
  return (
    <div className="mx-3 mb-2 rounded-md border border-zinc-200 p-2 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
      Get a notification for direct messages and mentions while Beacon is in the background.
      <button
        type="button"
        className="btn-secondary mt-1.5 w-full py-1 text-xs"
        onClick={() => void Notification.requestPermission().then(setPermission)}
      >
        Enable notifications
      </button>
    </div>
  );
}
