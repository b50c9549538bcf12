"use client";
// Ctrl/Cmd+K: jump to a room, a conversation or a person. Empty: recently visited rooms first, then
// the sidebar's order. Typed: fuzzy matches among my rooms and DMs, then people from the directory
// (opening a person opens, or starts, the conversation with them).
import { useRouter } from "next/navigation";
import { useFormatter, useTranslations } from "next-intl";
import { type KeyboardEvent, useEffect, useId, useMemo, useState } from "react";
import { fuzzyFilter } from "@/lib/fuzzy";
import type { SidebarRoom } from "@/lib/rooms/rooms.schema";
import type { PublicUser } from "@/lib/users/users.schema";
import { apiFetch } from "./api";
import { Avatar } from "./avatar";
import { recentRoomIds, sidebarOrder } from "./room-directory";
import { useModal } from "./use-dismiss";

type Option =
  | { kind: "room"; id: string; room: SidebarRoom }
  | { kind: "person"; id: string; user: PublicUser & { avatarUrl?: string | null } };

const MAX_ROOMS = 12;

/** The attribute that marks the switcher's dialog (keyboard-shortcuts.tsx toggles it with Ctrl/Cmd+K). */
export const QUICK_SWITCHER = "data-quick-switcher";

export function QuickSwitcher({ meId, onClose }: { meId: string; onClose: () => void }) {
  const t = useTranslations("chat.quickSwitcher");
  const router = useRouter();
  const ref = useModal(true, onClose);
  const listId = useId();
  const [query, setQuery] = useState("");
  const [people, setPeople] = useState<PublicUser[]>([]);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const rooms = useMemo(() => {
    const all = sidebarOrder();
    if (query.trim() === "") {
      const recent = recentRoomIds();
      const rank = (r: SidebarRoom) => {
        const i = recent.indexOf(r.id);
        return i === -1 ? recent.length : i;
      };
      return all
        .map((r, i) => ({ r, i }))
        .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
        .map((x) => x.r)
        .slice(0, MAX_ROOMS);
    }
    return fuzzyFilter(query, all, (r) => r.name).slice(0, MAX_ROOMS);
  }, [query]);

  // People by name or username (the directory's own prefix search), minus me and those I already
  // have a one-to-one conversation with (that conversation is listed above).
  useEffect(() => {
    const q = query.trim().replace(/^@/, "");
    if (!q) return setPeople([]);
    let live = true;
    const timer = setTimeout(async () => {
      const res = await apiFetch<{ users: PublicUser[] }>(`/api/users/search?q=${encodeURIComponent(q)}`);
      if (!live) return;
      if (!res.ok) return setError(res.message);
      setError(undefined);
      setPeople(res.data.users.filter((u) => u.id !== meId));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, meId]);

  const options: Option[] = useMemo(() => {
    const dmPeers = new Set(rooms.flatMap((r) => (r.kind === "dm" && r.peer ? [r.peer.id] : [])));
    return [
      ...rooms.map((room) => ({ kind: "room" as const, id: `r-${room.id}`, room })),
      ...people
        .filter((u) => !dmPeers.has(u.id))
        .map((user) => ({ kind: "person" as const, id: `p-${user.id}`, user })),
    ];
  }, [rooms, people]);
  const current = Math.min(active, Math.max(0, options.length - 1));

  async function open(o: Option | undefined) {
    if (!o || busy) return;
    if (o.kind === "room") {
      onClose();
      router.push(`/rooms/${o.room.id}`);
      return;
    }
    setBusy(true);
    const res = await apiFetch<{ room: { id: string } }>("/api/dms", {
      method: "POST",
      body: { usernames: [o.user.username] },
    });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    onClose();
    router.push(`/rooms/${res.data.room.id}`);
    router.refresh();
  }

  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      const n = options.length;
      if (n > 0) setActive((current + (e.key === "ArrowDown" ? 1 : -1) + n) % n);
    } else if (e.key === "Enter") {
      e.preventDefault();
      void open(options[current]);
    }
  }

  const optionId = (o: Option) => `${listId}-${o.id}`;
  return (
    <dialog
      ref={ref}
      aria-label={t("label")}
      data-quick-switcher=""
      className="mx-auto mt-[12vh] w-[min(34rem,calc(100vw-1.5rem))] rounded-xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100"
    >
      <div className="p-2">
        <input
          role="combobox"
          aria-label={t("search")}
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={options[current] ? optionId(options[current]) : undefined}
          placeholder={t("placeholder")}
          value={query}
          autoFocus
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKey}
          className="input text-base"
          maxLength={64}
        />
        <div
          id={listId}
          role="listbox"
          aria-label={t("matches")}
          className="mt-2 max-h-[50vh] overflow-y-auto"
        >
          {options.map((o, i) => (
            <div
              key={o.id}
              id={optionId(o)}
              role="option"
              aria-selected={i === current}
              tabIndex={-1}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => void open(o)}
              onKeyDown={() => {}}
              onMouseMove={() => i !== current && setActive(i)}
              className={`flex min-h-10 cursor-pointer items-center gap-2 rounded-md px-2 text-sm ${
                i === current ? "bg-indigo-50 dark:bg-indigo-500/20" : ""
              }`}
            >
              {o.kind === "room" ? <RoomOption room={o.room} /> : <PersonOption user={o.user} />}
            </div>
          ))}
          {options.length === 0 && (
            <p className="px-2 py-3 text-sm text-zinc-500">
              {query.trim() ? t("nothingMatches") : t("noRooms")}
            </p>
          )}
        </div>
        {error && (
          <p role="alert" className="px-2 pt-1 text-sm text-red-600 dark:text-red-400">
            {error}
          </p>
        )}
        <p className="hidden px-2 pt-2 text-xs text-zinc-500 sm:block">{t("hint")}</p>
      </div>
    </dialog>
  );
}

function RoomOption({ room }: { room: SidebarRoom }) {
  const t = useTranslations("chat");
  const format = useFormatter();
  return (
    <>
      {room.kind === "dm" && room.peer ? (
        <Avatar user={room.peer} size={20} />
      ) : (
        <span aria-hidden className="w-5 text-center text-zinc-400">
          {room.kind === "dm" ? "●" : room.isPrivate ? "🔒" : "#"}
        </span>
      )}
      <span className="min-w-0 flex-1 truncate">{room.name}</span>
      <span className="text-xs text-zinc-500">
        {room.kind === "dm" ? t("quickSwitcher.directMessage") : t("quickSwitcher.room")}
      </span>
      {room.unread > 0 && (
        <span className="rounded-full bg-indigo-600 px-1.5 text-xs font-semibold text-white">
          {t.rich("sidebar.unreadBadge", {
            count: room.unread > 99 ? `${format.number(99)}+` : format.number(room.unread),
            sr: (c) => <span className="sr-only">{c}</span>,
          })}
        </span>
      )}
    </>
  );
}

function PersonOption({ user }: { user: PublicUser & { avatarUrl?: string | null } }) {
  const t = useTranslations("chat.quickSwitcher");
  return (
    <>
      <Avatar user={user} size={20} />
      <span className="min-w-0 flex-1 truncate">
        {user.displayName} <bdi className="text-zinc-500">@{user.username}</bdi>
      </span>
      <span className="text-xs text-zinc-500">{t("person")}</span>
    </>
  );
}
