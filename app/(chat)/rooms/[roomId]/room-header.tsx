"use client";
// Room header: name, topic, member list (with "Add member" for the owner), the room's files and
// "Leave room".
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { PresenceStatus } from "@/lib/presence/presence";
import { getSocket, onPresence, request } from "@/lib/realtime/client/socket";
import type { PresenceUpdate } from "@/lib/realtime/events";
import type { MemberView, RoomView } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "../../_components/api";
import { Avatar } from "../../_components/avatar";
import { BotBadge } from "../../_components/bot-badge";
import { PresenceDot } from "../../_components/presence-dot";
import { RoomIcon } from "../../_components/room-icon";
import { useDismiss } from "../../_components/use-dismiss";
import { UserCardBody } from "../../_components/user-card";
import { FilesPanel } from "./files-panel";
import { MemberMenu } from "./member-menu";
import { RoomInviteButton } from "./room-invite-button";

export function RoomHeader({
  room,
  moderation,
}: {
  room: RoomView;
  /** For those who may moderate the room: header buttons, and per-member menus in the panel. */
  moderation?: { meId: string; canModerate: boolean; canChooseModerators: boolean; buttons: ReactNode };
}) {
  const t = useTranslations("room");
  const router = useRouter();
  const [panel, setPanel] = useState<"members" | "files" | null>(null);
  const open = panel === "members";
  const [members, setMembers] = useState<MemberView[] | null>(null);
  const [error, setError] = useState<string>();
  const [addError, setAddError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [presence, setPresence] = useState<Record<string, PresenceStatus>>({});
  const [muted, setMuted] = useState(room.muted);
  // Esc or a click outside the header closes the panel; focus goes back to the button that opened it.
  const headerRef = useRef<HTMLElement>(null);
  useDismiss(panel !== null, () => setPanel(null), { ref: headerRef });
  /** The member whose profile card is open in the panel (a click on their name). */
  const [card, setCard] = useState<string>();

  useEffect(() => {
    const socket = getSocket();
    const onMuted = (p: { roomId: string; muted: boolean }) => {
      if (p.roomId === room.id) setMuted(p.muted);
    };
    socket.on("room:muted", onMuted);
    return () => {
      socket.off("room:muted", onMuted);
    };
  }, [room.id]);

  // The member count follows joins and leaves live: room:members says it changed, the room is read
  // again (once for a burst of changes) and an open member list too.
  const [memberCount, setMemberCount] = useState(room.memberCount);
  useEffect(() => setMemberCount(room.memberCount), [room.memberCount]);
  const openRef = useRef(open);
  openRef.current = open;
  useEffect(() => {
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      const res = await apiFetch<{ room: RoomView }>(`/api/rooms/${room.id}`);
      if (res.ok) setMemberCount(res.data.room.memberCount);
      if (openRef.current) void loadMembersRef.current();
    };
    const onMembers = (p: { roomId: string }) => {
      if (p.roomId !== room.id) return;
      clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 250);
    };
    socket.on("room:members", onMembers);
    return () => {
      clearTimeout(timer);
      socket.off("room:members", onMembers);
    };
  }, [room.id]);

  async function toggleMute() {
    const res = await request(getSocket(), "room:mute", { roomId: room.id, muted: !muted });
    if (res.ok) setMuted(res.data.muted);
    else setError(res.error.message);
  }

  // Presence of the members while the panel is open: a snapshot, then live updates. The snapshot is
  // taken again on every (re)connect: a page that is still connecting when the panel opens, or an
  // outage that missed updates, must not leave everyone shown offline.
  useEffect(() => {
    if (!open) return;
    const socket = getSocket();
    let updated = new Set<string>(); // users with a live update since the last snapshot was asked for
    const onUpdates = (updates: PresenceUpdate[]) => {
      for (const u of updates) updated.add(u.userId);
      setPresence((p) => {
        const next = { ...p };
        for (const u of updates) next[u.userId] = u.status;
        return next;
      });
    };
    const snapshot = () => {
      const since = new Set<string>();
      updated = since;
      void request(socket, "presence:list", { roomId: room.id }).then((res) => {
        if (!res.ok) return;
        setPresence((p) => {
          const next = { ...p, ...res.data };
          for (const id of since) if (p[id]) next[id] = p[id]; // newer than the snapshot
          return next;
        });
      });
    };
    const stopUpdates = onPresence(socket, onUpdates);
    socket.on("connect", snapshot);
    if (socket.connected) snapshot();
    return () => {
      stopUpdates();
      socket.off("connect", snapshot);
    };
  }, [open, room.id]);

  const loadMembers = useCallback(async () => {
    const res = await apiFetch<{ members: MemberView[] }>(`/api/rooms/${room.id}/members`);
    if (res.ok) {
      setMembers(res.data.members);
      setMemberCount(res.data.members.length);
    } else setError(res.message);
  }, [room.id]);
  const loadMembersRef = useRef(loadMembers);
  loadMembersRef.current = loadMembers;

  useEffect(() => {
    if (open) void loadMembers();
  }, [open, loadMembers]);

  async function addMember(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const username = String(new FormData(form).get("username") ?? "").trim();
    if (!username) return setAddError(t("header.enterUsername"));
    setBusy(true);
    const res = await apiFetch(`/api/rooms/${room.id}/members`, { method: "POST", body: { username } });
    setBusy(false);
    if (!res.ok) return setAddError(res.fields?.username ?? res.message);
    setAddError(undefined);
    form.reset();
    await loadMembers();
    router.refresh();
  }

  async function leave() {
    const question = room.isPrivate
      ? t("header.leaveConfirmPrivate", { name: room.name })
      : t("header.leaveConfirm", { name: room.name });
    if (!window.confirm(question)) return;
    const res = await apiFetch(`/api/rooms/${room.id}/leave`, { method: "POST" });
    if (!res.ok) return setError(res.message);
    router.push("/rooms");
    router.refresh();
  }

  return (
    <header ref={headerRef} className="relative shrink-0 border-b border-zinc-200 dark:border-zinc-800">
      {/* On a phone the name has the first row (next to the menu button) and the buttons wrap below. */}
      <div className="flex min-h-12 flex-wrap items-center gap-x-2 gap-y-1 px-4 py-1.5 ps-24 md:h-12 md:flex-nowrap md:py-0 md:ps-4">
        <div className="min-w-0 flex-1 basis-full md:basis-auto">
          <h1 className="truncate font-semibold">
            <span aria-hidden className="me-1 text-zinc-400" data-testid="room-icon">
              <RoomIcon kind={room.kind} isPrivate={room.isPrivate} />
            </span>
            {room.name}
            {room.kind === "dm" ? (
              <span className="sr-only"> {t("header.directMessage")}</span>
            ) : (
              room.isPrivate && <span className="sr-only"> {t("header.privateRoom")}</span>
            )}
            {room.archived && (
              <span className="ms-2 text-xs font-normal text-zinc-500">{t("header.archived")}</span>
            )}
          </h1>
        </div>
        {room.topic && (
          <p className="hidden max-w-md truncate text-sm text-zinc-500 lg:block" title={room.topic}>
            {room.topic}
          </p>
        )}
        {moderation?.buttons}
        <button
          type="button"
          className="btn-ghost"
          aria-expanded={panel === "files"}
          aria-controls="files-panel"
          onClick={() => setPanel((p) => (p === "files" ? null : "files"))}
        >
          {t("header.files")}
        </button>
        <button
          type="button"
          className="btn-ghost"
          aria-expanded={open}
          aria-controls="members-panel"
          onClick={() => setPanel((p) => (p === "members" ? null : "members"))}
        >
          <span>
            {t.rich("header.members", {
              count: memberCount,
              n: (c) => <span data-testid="member-count">{c}</span>,
            })}
          </span>
        </button>
        <RoomInviteButton room={room} />
        {room.isMember && (
          <button
            type="button"
            className="btn-ghost"
            aria-pressed={muted}
            title={muted ? t("header.unmuteTitle") : t("header.muteTitle")}
            onClick={() => void toggleMute()}
          >
            {muted ? t("header.muted") : t("header.mute")}
          </button>
        )}
        {room.isMember && room.kind === "channel" && (
          <button type="button" className="btn-ghost hidden sm:inline-flex" onClick={() => void leave()}>
            {t("header.leave")}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="px-4 pb-2 text-sm text-red-600">
          {error}
        </p>
      )}
      {panel === "files" && <FilesPanel roomId={room.id} />}
      {open && (
        <section
          id="members-panel"
          aria-label={t("header.membersTitle")}
          className="absolute end-2 top-full z-10 mt-1 w-72 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <h2 className="mb-2 text-sm font-semibold">{t("header.membersTitle")}</h2>
          {members === null ? (
            <p className="text-sm text-zinc-500">{t("header.loading")}</p>
          ) : (
            <ul className="max-h-64 space-y-1 overflow-y-auto text-sm">
              {members.map((m) => (
                <li key={m.id} className="flex items-center justify-between gap-2">
                  <span
                    className="flex min-w-0 items-center gap-2"
                    data-testid="member"
                    data-presence={presence[m.id] ?? "offline"}
                  >
                    <span className="relative shrink-0">
                      <Avatar user={m} size={24} />
                      <PresenceDot status={presence[m.id] ?? "offline"} corner />
                    </span>
                    <span className="truncate">
                      <button
                        type="button"
                        className="hover:underline"
                        aria-expanded={card === m.username}
                        aria-label={t("header.showProfile", { name: m.displayName })}
                        data-user-card
                        onClick={() => setCard((c) => (c === m.username ? undefined : m.username))}
                      >
                        {m.displayName}
                      </button>{" "}
                      <span dir="ltr" className="text-zinc-500">
                        @{m.username}
                      </span>
                    </span>
                    <BotBadge show={m.isBot === true} />
                  </span>
                  {m.role !== "member" && (
                    <span className="text-xs text-zinc-500">
                      {m.role === "owner"
                        ? t("header.roleOwner")
                        : m.role === "moderator"
                          ? t("header.roleModerator")
                          : m.role}
                    </span>
                  )}
                  {moderation?.canModerate && m.role !== "owner" && m.id !== moderation.meId && (
                    <MemberMenu
                      roomId={room.id}
                      roomName={room.name}
                      member={m}
                      canChooseModerators={moderation.canChooseModerators}
                      onChanged={(err) => {
                        setError(err);
                        void loadMembers();
                      }}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
          {card && (
            <div
              role="dialog"
              aria-label={t("header.profileOf", { username: card })}
              className="mt-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-700"
            >
              <UserCardBody username={card} meId={moderation?.meId ?? ""} />
              <button
                type="button"
                className="btn-ghost mt-1 px-2 py-0.5 text-xs"
                onClick={() => setCard(undefined)}
              >
                {t("header.close")}
              </button>
            </div>
          )}
          {room.isOwner && room.kind === "channel" && (
            <form
              onSubmit={addMember}
              className="mt-3 border-t border-zinc-200 pt-3 dark:border-zinc-800"
              noValidate
            >
              <label htmlFor="add-member" className="label">
                {t("header.addMember")}
              </label>
              <div className="flex gap-2">
                <input
                  id="add-member"
                  name="username"
                  className="input"
                  placeholder={t("header.usernamePlaceholder")}
                  maxLength={32}
                />
                <button type="submit" className="btn-primary" disabled={busy}>
                  {t("header.add")}
                </button>
              </div>
              {addError && (
                <p role="alert" className="field-error">
                  {addError}
                </p>
              )}
            </form>
          )}
          {room.isMember && room.kind === "channel" && (
            <button
              type="button"
              className="btn-secondary mt-3 w-full sm:hidden"
              onClick={() => void leave()}
            >
              {t("header.leave")}
            </button>
          )}
        </section>
      )}
    </header>
  );
}
