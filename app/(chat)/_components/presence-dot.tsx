"use client";
// Presence dots: green online, amber away, a hollow ring offline, with the status as text for screen
// readers and as a tooltip. Statuses come from the tab's presence store
// (lib/realtime/client/presence-store.ts): a component that shows people of a room watches it.
import { useTranslations } from "next-intl";
import { useEffect, useSyncExternalStore } from "react";
import type { PresenceStatus } from "@/lib/presence/presence";
import { presenceStore } from "@/lib/realtime/client/presence-store";
import { getSocket } from "@/lib/realtime/client/socket";

const noSubscribe = () => () => {};

/** Keep the statuses of this room's members current while the caller is on screen. */
export function useWatchRoomPresence(roomId: string | null | undefined): void {
  useEffect(() => {
    if (!roomId) return;
    return presenceStore(getSocket()).watchRoom(roomId);
  }, [roomId]);
}

/** A user's status (offline until known; always offline on the server). */
export function usePresence(userId: string): PresenceStatus {
  const store = typeof window === "undefined" ? null : presenceStore(getSocket());
  return useSyncExternalStore(
    store?.subscribe ?? noSubscribe,
    () => store?.get(userId) ?? "offline",
    () => "offline",
  );
}

const DOT: Record<PresenceStatus, string> = {
  online: "bg-emerald-500",
  away: "bg-amber-400",
  offline: "border border-zinc-500 bg-white dark:border-zinc-400 dark:bg-zinc-900",
};

/**
 * The dot. `corner`: on the corner of an avatar (the parent is `relative`); otherwise inline, after
 * a name.
 */
export function PresenceDot({
  status,
  corner = false,
  label = true,
}: {
  status: PresenceStatus;
  corner?: boolean;
  /** false when the status is read out elsewhere (PresenceLabel after the name). */
  label?: boolean;
}) {
  const t = useTranslations("chat.presence");
  return (
    <span
      className={`${corner ? "absolute -bottom-0.5 -end-0.5" : "relative"} inline-flex items-center`}
      title={t(status)}
      data-testid="presence"
      data-presence={status}
    >
      <span
        aria-hidden
        className={`size-2.5 rounded-full ring-2 ring-white dark:ring-zinc-900 ${DOT[status]}`}
      />
      {label && <span className="sr-only">{t(status)}</span>}
    </span>
  );
}

/** The live dot of one user (their room must be watched by something on screen). */
export function UserPresenceDot({
  userId,
  corner,
  label,
}: {
  userId: string;
  corner?: boolean;
  label?: boolean;
}) {
  return <PresenceDot status={usePresence(userId)} corner={corner} label={label} />;
}

/** The status as text for screen readers only, e.g. after a name: "Ana (online)". */
export function PresenceLabel({ userId }: { userId: string }) {
  const t = useTranslations("chat.presence");
  const status = usePresence(userId);
  return <span className="sr-only"> {t("afterName", { status: t(status) })}</span>;
}
