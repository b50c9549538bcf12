"use client";
// A person's hover card: display name, @handle, status, their local time, and "Message". Opens on
// hover or keyboard focus of an author name (and on a click of an @mention), read by current or
// former handle from /api/profiles/:username. The base for richer profile cards later.
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { UserCardView as Profile } from "@/lib/users/profile.schema";
import { apiFetch } from "./api";
import { BotBadge } from "./bot-badge";
import { useDismiss } from "./use-dismiss";

const cache = new Map<string, { at: number; card: Promise<Profile | string> }>();

/** The card of a handle (cached for 30 s per tab: a profile change shows on the next open after that). */
function loadCard(username: string): Promise<Profile | string> {
  const hit = cache.get(username);
  if (hit && Date.now() - hit.at < 30_000) return hit.card;
  const card = apiFetch<{ user: Profile }>(`/api/profiles/${encodeURIComponent(username)}`).then((r) =>
    r.ok ? r.data.user : r.message,
  );
  cache.set(username, { at: Date.now(), card });
  return card;
}

/** Now in the person's time zone, written the reader's way (their chosen language). */
function localTime(timeZone: string, locale: string): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone }).format(new Date());
  } catch {
    return null;
  }
}

export function UserCardBody({ username, meId }: { username: string; meId: string }) {
  const t = useTranslations("chat");
  const tc = useTranslations("common");
  const locale = useLocale();
  const router = useRouter();
  const [card, setCard] = useState<Profile | string>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    void loadCard(username).then((c) => live && setCard(c));
    return () => {
      live = false;
    };
  }, [username]);
  if (card === undefined) return <p className="text-sm text-zinc-500">{tc("loading")}</p>;
  if (typeof card === "string")
    return (
      <p role="alert" className="text-sm text-red-600 dark:text-red-400">
        {card}
      </p>
    );
  const time = localTime(card.timeZone, locale);
  return (
    <div className="space-y-1 text-sm">
      <p className="flex items-center gap-1.5 font-semibold">
        {card.displayName} <BotBadge show={card.bot !== undefined} />
      </p>
      <p className="text-zinc-500">
        <bdi>@{card.username}</bdi>
      </p>
      {card.bot?.description && <p>{card.bot.description}</p>}
      {card.bot?.owner && (
        <p className="text-xs text-zinc-500">
          {t("userCard.botManagedBy", {
            name: card.bot.owner.displayName,
            username: card.bot.owner.username,
          })}
        </p>
      )}
      {(card.statusEmoji || card.statusText) && (
        <p data-testid="user-status">
          {card.statusEmoji && <span className="me-1">{card.statusEmoji}</span>}
          {card.statusText}
        </p>
      )}
      {time && (
        <p className="text-zinc-500">
          {t.rich("userCard.localTime", {
            time,
            zone: card.timeZone.replaceAll("_", " "),
            small: (c) => <span className="text-xs">{c}</span>,
          })}
        </p>
      )}
      {card.id !== meId && (
        <button
          type="button"
          aria-label={t("person.message", { name: card.displayName })}
          className="btn-primary mt-2 px-2 py-1 text-xs"
          onClick={async () => {
            const res = await apiFetch<{ room: { id: string } }>("/api/dms", {
              method: "POST",
              body: { usernames: [card.username] },
            });
            if (!res.ok) return setError(res.message);
            router.push(`/rooms/${res.data.room.id}`);
            router.refresh();
          }}
        >
          {t("userCard.message")}
        </button>
      )}
      {error && (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}

/** Wraps a name: hovering or focusing it (or clicking it) shows the card; Escape or leaving hides it. */
export function UserCard({
  username,
  displayName,
  meId,
  children,
}: {
  username: string;
  displayName: string;
  meId: string;
  children?: ReactNode;
}) {
  const t = useTranslations("chat");
  const [open, setOpen] = useState(false);
  const id = useId();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // Esc (also while the mouse holds it open) and a tap elsewhere close it; focus stays on the name.
  const wrap = useRef<HTMLSpanElement>(null);
  useDismiss(open, () => setOpen(false), { ref: wrap });
  const show = () => {
    clearTimeout(timer.current);
    setOpen(true);
  };
  const hide = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setOpen(false), 150);
  };
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hover and focus-within of the name and its card
    <span
      ref={wrap}
      className="relative inline-block"
      onMouseEnter={show}
      onMouseLeave={hide}
      onFocus={show}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) hide();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") setOpen(false);
      }}
    >
      <button
        type="button"
        className="text-sm font-semibold hover:underline"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={t("person.showProfile", { name: displayName })}
        data-user-card
        // Open, not toggle: a mouse click comes right after the hover that already opened it.
        onClick={show}
      >
        {children ?? displayName}
      </button>
      {open && (
        <div
          id={id}
          role="dialog"
          aria-label={t("person.profileOf", { name: displayName })}
          className="absolute start-0 top-full z-30 mt-1 w-64 rounded-lg border border-zinc-200 bg-white p-3 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <UserCardBody username={username} meId={meId} />
        </div>
      )}
    </span>
  );
}
