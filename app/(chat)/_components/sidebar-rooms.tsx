"use client";
// The sidebar's live room and DM lists: unread counts (bold + number), mention badges, DMs by latest
// activity, the "(N) Beacon" title and app badge, and browser notifications for DMs and mentions
// while hidden.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type ReactNode, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { SidebarSync } from "@/lib/realtime/client/sidebar-sync";
import { getSocket } from "@/lib/realtime/client/socket";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "./api";
import { setAppBadge } from "./app-badge";
import { Avatar } from "./avatar";
import { PresenceLabel, UserPresenceDot, useWatchRoomPresence } from "./presence-dot";
import { publishRooms } from "./room-directory";
import { RoomIcon } from "./room-icon";

const noSubscribe = () => () => {};

export function SidebarRooms({
  initial,
  me,
}: {
  initial: SidebarRoom[];
  me: { id: string; username: string };
}) {
  const t = useTranslations("chat");
  const pathname = usePathname();
  const router = useRouter();
  const routerRef = useRef(router);
  // The sync below is made once: it reads the current router and language through refs.
  const tRef = useRef(t);
  useEffect(() => {
    routerRef.current = router;
    tRef.current = t;
  }, [router, t]);
  // The counts follow the seq rules in lib/realtime/client/sidebar-sync.ts. None on the server,
  // which has no socket: it renders `initial`.
  const [sync] = useState(() =>
    typeof window === "undefined"
      ? null
      : new SidebarSync({
          socket: getSocket(),
          userId: me.id,
          initial,
          fetchRooms: async () => {
            const res = await apiFetch<{ rooms: SidebarRoom[] }>("/api/sidebar");
            return res.ok ? res.data.rooms : null;
          },
          onMessage: (room, m) =>
            notify(
              room,
              m,
              me.id,
              (author, name) => tRef.current("sidebar.notificationInRoom", { author, room: name }),
              (url) => routerRef.current.push(url),
            ),
          onMembershipChange: () => routerRef.current.refresh(),
        }),
  );
  const rooms = useSyncExternalStore(
    sync?.subscribe ?? noSubscribe,
    sync?.snapshot ?? (() => initial),
    () => initial,
  );
  // Keyboard shortcuts and the quick switcher read the same live list.
  useEffect(() => publishRooms(rooms), [rooms]);
  // A re-rendered layout (router.refresh) brings a newer server list: merged like any answer.
  useEffect(() => sync?.merge(initial), [sync, initial]);
  useEffect(() => {
    sync?.start();
    return () => sync?.dispose();
  }, [sync]);

  // "(3) Beacon": unread messages in rooms that are not muted.
  const total = rooms.reduce((n, r) => n + (r.muted ? 0 : r.unread), 0);
  useEffect(() => {
    const apply = () => {
      const base = document.title.replace(/^\(\d+\+?\) /, "");
      document.title = total > 0 ? `(${total > 99 ? "99+" : total}) ${base}` : base;
    };
    apply();
    const observer = new MutationObserver(() => {
      if (total > 0 && !/^\(\d+\+?\) /.test(document.title)) apply();
    });
    const titleEl = document.querySelector("title");
    if (titleEl) observer.observe(titleEl, { childList: true });
    return () => observer.disconnect();
  }, [total]);
  // The same count on the installed app's icon, where the Badging API exists (Chromium, Safari).
  useEffect(() => setAppBadge(total), [total]);

  const channels = rooms.filter((r) => r.kind === "channel");
  const dms = rooms.filter((r) => r.kind === "dm");
  return (
    <>
      <RoomSection
        label={t("sidebar.rooms")}
        rooms={channels}
        pathname={pathname}
        empty={t("sidebar.noRooms")}
      />
      <RoomSection
        label={t("sidebar.directMessages")}
        rooms={dms}
        pathname={pathname}
        empty={t("sidebar.noConversations")}
      />
    </>
  );
}

function notify(
  room: SidebarRoom,
  m: ChatMessage,
  meId: string,
  inRoom: (author: string, room: string) => string,
  open: (url: string) => void,
): void {
  if (typeof Notification === "undefined" || Notification.permission !== "granted") return;
  if (document.visibilityState !== "hidden" || room.muted || m.author.id === meId) return;
  const mentioned = m.mentions.includes(meId);
  if (room.kind !== "dm" && !mentioned) return;
  const n = new Notification(
    room.kind === "dm" ? m.author.displayName : inRoom(m.author.displayName, room.name),
    {
      body: m.body.slice(0, 200),
      tag: `${room.id}:${m.seq}`,
    },
  );
  n.onclick = () => {
    window.focus();
    open(`/rooms/${room.id}?m=${m.seq}`);
    n.close();
  };
}

function RoomSection({
  label,
  rooms,
  pathname,
  empty,
}: {
  label: string;
  rooms: SidebarRoom[];
  pathname: string;
  empty: string;
}) {
  const t = useTranslations("chat");
  const format = useFormatter();
  const count = (n: number) => (n > 99 ? `${format.number(99)}+` : format.number(n));
  const sr = (c: ReactNode) => <span className="sr-only">{c}</span>;
  return (
    <section aria-label={label} className="mb-4">
      <h2 className="px-2 pb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">{label}</h2>
      {rooms.length === 0 ? (
        <p className="px-2 text-sm text-zinc-500">{empty}</p>
      ) : (
        <ul className="space-y-0.5">
          {rooms.map((r) => {
            const active = pathname === `/rooms/${r.id}`;
            const unread = r.unread > 0 && !active;
            return (
              <li key={r.id}>
                <Link
                  href={`/rooms/${r.id}`}
                  aria-current={active ? "page" : undefined}
                  data-unread={unread ? r.unread : 0}
                  className={`flex items-center gap-1.5 rounded-md px-2 py-1 text-sm ${
                    active
                      ? "bg-indigo-100 font-medium text-indigo-900 dark:bg-indigo-500/20 dark:text-indigo-100"
                      : unread && !r.muted
                        ? "font-semibold text-zinc-900 hover:bg-zinc-200/70 dark:text-white dark:hover:bg-zinc-800"
                        : "text-zinc-600 hover:bg-zinc-200/70 dark:text-zinc-400 dark:hover:bg-zinc-800"
                  }`}
                >
                  {r.kind === "dm" && r.peer ? (
                    <DmAvatar roomId={r.id} peer={r.peer} presence={!r.group} />
                  ) : (
                    <span aria-hidden className="grid w-3 shrink-0 place-items-center text-zinc-400">
                      <RoomIcon kind={r.kind} isPrivate={r.isPrivate} />
                    </span>
                  )}
                  <span className="min-w-0 flex-1 truncate">
                    {r.name}
                    {r.kind === "dm" && r.peer && !r.group && <PresenceLabel userId={r.peer.id} />}
                  </span>
                  {r.draft && (
                    <span
                      role="img"
                      aria-label={t("sidebar.draft")}
                      title={t("sidebar.draft")}
                      data-testid="draft-marker"
                      className="shrink-0 text-zinc-500 dark:text-zinc-400"
                    >
                      <svg
                        aria-hidden
                        viewBox="0 0 20 20"
                        className="size-3.5"
                        fill="none"
                        stroke="currentColor"
                        strokeWidth="1.6"
                      >
                        <path d="M13.6 3.6a1.9 1.9 0 0 1 2.8 2.8L7 15.8l-3.6.8.8-3.6 9.4-9.4Z" />
                      </svg>
                    </span>
                  )}
                  {r.archived && (
                    <span className="text-xs text-zinc-400" data-testid="archived-badge">
                      {t("sidebar.archived")}
                    </span>
                  )}
                  {r.muted && (
                    <span title={t("sidebar.muted")} className="text-xs text-zinc-400">
                      <span aria-hidden>🔕</span>
                      <span className="sr-only">{t("sidebar.mutedSr")}</span>
                    </span>
                  )}
                  {unread && r.mentions > 0 && (
                    <span
                      className="rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white"
                      title={t("sidebar.mentionsTitle", { count: r.mentions })}
                    >
                      {t.rich("sidebar.mentionsBadge", { count: r.mentions, sr })}
                    </span>
                  )}
                  {unread && (
                    <span
                      className={`rounded-full px-1.5 text-xs font-semibold ${r.muted ? "bg-zinc-200 text-zinc-600 dark:bg-zinc-700 dark:text-zinc-300" : "bg-indigo-600 text-white"}`}
                    >
                      {t.rich("sidebar.unreadBadge", { count: count(r.unread), sr })}
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * A DM's avatar, with its person's live presence dot for a one-to-one DM (the DM's room is watched
 * while it is listed).
 */
function DmAvatar({
  roomId,
  peer,
  presence,
}: {
  roomId: string;
  peer: NonNullable<SidebarRoom["peer"]>;
  presence: boolean;
}) {
  useWatchRoomPresence(presence ? roomId : null);
  return (
    <span className="relative -ms-0.5 shrink-0">
      <Avatar user={peer} size={20} />
      {presence && <UserPresenceDot userId={peer.id} corner label={false} />}
    </span>
  );
}
