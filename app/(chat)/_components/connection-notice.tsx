"use client";
// Shown when the server closed this tab's socket for good (too many tabs or devices connected):
// nothing reconnects by itself, so say why and let the person choose to reconnect here.
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
  const closed = useSocketClosedByServer();
  if (!closed) return null;
  return (
    <div
      role="alert"
      className="flex flex-wrap items-center gap-2 border-b border-amber-200 bg-amber-50 px-4 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-200"
    >
      <span className="flex-1">
        {closed.message} Close tabs you do not use, or reconnect here (the oldest of your other tabs or
        devices is then disconnected).
      </span>
      <button type="button" className="btn-secondary py-1 text-xs" onClick={reconnectSocket}>
        Reconnect
      </button>
    </div>
  );
}
