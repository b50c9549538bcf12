"use client";
// Shown when the server closed this tab's socket for good (too many tabs or devices connected):
// nothing reconnects by itself, so say why and let the person choose to reconnect here.
import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { onSocketClosedByServer, reconnectSocket, socketClosedByServer } from "@/lib/realtime/client/socket";
import type { SocketClosing } from "@/lib/realtime/events";

/** Why the server closed this tab's socket for good, while it stays closed; null otherwise. */
export function useSocketClosedByServer(): SocketClosing | null {
  const [closed, setClosed] = useState<SocketClosing | null>(null);
  useEffect(() => {
    setClosed(socketClosedByServer());
    return onSocketClosedByServer(setClosed);
  }, []);
  return closed;
}

export function ConnectionNotice() {
  const t = useTranslations("chat.connection");
  const closed = useSocketClosedByServer();
  if (!closed) return null;
  // The reason in the page's language; the server's own sentence for a reason this build does not know.
  const reason = t.has(`reasons.${closed.reason}`) ? t(`reasons.${closed.reason}`) : closed.message;
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
    >
      <span className="flex-1">
        {reason} {t("advice")}
      </span>
      <button type="button" className="btn-secondary py-1 text-xs" onClick={reconnectSocket}>
        {t("reconnect")}
      </button>
    </div>
  );
}
