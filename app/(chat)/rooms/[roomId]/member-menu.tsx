"use client";
// A member's moderation menu in the Members panel: make or remove a room moderator (the room's owner
// or a workspace admin), remove from the room, ban from the room (with a confirmation).
import { useTranslations } from "next-intl";
import { useRef, useState } from "react";
import type { MemberView } from "@/lib/rooms/rooms.schema";
import { apiFetch } from "../../_components/api";
import { useDismiss } from "../../_components/use-dismiss";

export function MemberMenu({
  roomId,
  roomName,
  member,
  canChooseModerators,
  onChanged,
}: {
  roomId: string;
  roomName: string;
  member: MemberView;
  canChooseModerators: boolean;
  onChanged: (error?: string) => void;
}) {
  const t = useTranslations("room");
  const [open, setOpen] = useState(false);
  const menu = useRef<HTMLDivElement>(null);
  useDismiss(open, () => setOpen(false), { ref: menu });
  const base = `/api/rooms/${roomId}`;

  async function run(url: string, method: string, body?: unknown) {
    setOpen(false);
    const res = await apiFetch(url, { method, body });
    onChanged(res.ok ? undefined : res.message);
  }

  const item =
    "block w-full px-3 py-1.5 text-start text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 focus-visible:bg-zinc-100";
  return (
    <div className="relative">
      <button
        type="button"
        className="btn-ghost px-1.5 py-0.5 text-xs"
        aria-label={t("memberMenu.label", { username: member.username })}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      {open && (
        <div
          ref={menu}
          role="menu"
          aria-label={t("memberMenu.label", { username: member.username })}
          className="absolute end-0 z-30 mt-1 w-48 overflow-hidden rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          {canChooseModerators && (
            <button
              type="button"
              role="menuitem"
              className={item}
              onClick={() =>
                void run(`${base}/members/${member.id}`, "PATCH", {
                  role: member.role === "moderator" ? "member" : "moderator",
                })
              }
            >
              {member.role === "moderator" ? t("memberMenu.removeModerator") : t("memberMenu.makeModerator")}
            </button>
          )}
          <button
            type="button"
            role="menuitem"
            className={item}
            onClick={() => {
              if (
                window.confirm(t("memberMenu.removeConfirm", { username: member.username, room: roomName }))
              )
                void run(`${base}/members/${member.id}`, "DELETE");
            }}
          >
            {t("memberMenu.remove")}
          </button>
          <button
            type="button"
            role="menuitem"
            className={`${item} text-red-700 dark:text-red-400`}
            onClick={() => {
              if (window.confirm(t("memberMenu.banConfirm", { username: member.username, room: roomName })))
                void run(`${base}/bans/${member.id}`, "PUT", {});
            }}
          >
            {t("memberMenu.ban")}
          </button>
        </div>
      )}
    </div>
  );
}
