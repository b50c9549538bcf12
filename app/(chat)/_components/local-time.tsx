"use client";
// Message times in the reader's chosen language and own time zone ("4:52 PM" in English, "16:52" in
// German), never the server's zone: the server renders only the machine-readable <time>, the browser
// fills in the text (no hydration mismatch, and no zero-padded "04:52 PM").
import { useLocale } from "next-intl";
import { useSyncExternalStore } from "react";

const noSubscribe = () => () => {};

/** False while rendering on the server and hydrating, true in the browser after that. */
export function useInBrowser(): boolean {
  return useSyncExternalStore(
    noSubscribe,
    () => true,
    () => false,
  );
}

type Formats = Record<"time" | "full" | "medium" | "day", Intl.DateTimeFormat>;
const byLocale = new Map<string, Formats>();
/** The formats of a language, made once (a long timeline formats hundreds of times). No `timeZone`: the browser's own. */
function fmt(locale: string): Formats {
  let formats = byLocale.get(locale);
  if (!formats) {
    formats = {
      time: new Intl.DateTimeFormat(locale, { timeStyle: "short" }),
      full: new Intl.DateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" }),
      medium: new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }),
      day: new Intl.DateTimeFormat(locale, { dateStyle: "full" }),
    };
    byLocale.set(locale, formats);
  }
  return formats;
}

/** Date and time, e.g. "Dec 1, 2026, 4:52 PM" (search results, mentions). */
export function DateTime({ iso }: { iso: string }) {
  const inBrowser = useInBrowser();
  const locale = useLocale();
  return <time dateTime={iso}>{inBrowser ? fmt(locale).medium.format(new Date(iso)) : ""}</time>;
}

export function Time({ iso, className = "" }: { iso: string; className?: string }) {
  const inBrowser = useInBrowser();
  const locale = useLocale();
  const d = new Date(iso);
  return (
    <time
      dateTime={iso}
      title={inBrowser ? fmt(locale).full.format(d) : undefined}
      className={`text-xs text-zinc-500 tabular-nums ${className}`}
    >
      {inBrowser ? fmt(locale).time.format(d) : ""}
    </time>
  );
}

/**
 * The time of a message grouped under the one above (no author row): shown in its gutter while the
 * message is hovered or holds focus. Out of the flow on one line (its parent is `relative`): "12:52 PM"
 * is wider than the 2rem gutter and would wrap to two lines, taller than a one-line message, so the
 * message's text would sit higher above its bottom edge than without it and move when it loses its
 * author row (scroll anchoring keeps that bottom edge in place while older pages are prepended). It
 * is right-aligned and overflows to the left, into the row's padding, never over the text.
 */
export function GroupedTime({ iso }: { iso: string }) {
  return (
    <Time
      iso={iso}
      className="absolute end-0 top-0 whitespace-nowrap pt-1 text-[0.65rem] leading-4 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100"
    />
  );
}

/** A day, e.g. "Tuesday, December 1, 2026" (the message list's day dividers). */
export function Day({ iso }: { iso: string }) {
  const inBrowser = useInBrowser();
  const locale = useLocale();
  return <time dateTime={iso}>{inBrowser ? fmt(locale).day.format(new Date(iso)) : ""}</time>;
}
