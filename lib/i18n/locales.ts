// The languages Beacon speaks, and how a request's language is chosen. No i18n routing: URLs stay
// the same in every language. The choice is, in order: the `beacon-locale` cookie, then the
// browser's Accept-Language, then English (resolveLocale; lib/i18n/request.ts reads it per request).
//
// Settings → Language saves the choice on the account (User.locale, "" = follow the browser) with
// PUT /api/account/locale, which also sets the cookie on this device (or clears it for "Browser
// default"); the page then refreshes and renders in the new language, <html lang dir> included.
// Other devices: every signed-in page of the chat shell compares the account's choice with this
// request's cookie (app/(chat)/layout.tsx); when they differ it renders LocaleSync, which sets (or
// clears) the cookie in the browser and refreshes once, so a new device lands in the saved language
// right after signing in and a change made elsewhere arrives with the next page load. The cookie,
// not a session lookup in request.ts, carries the language: signed-out pages (sign-in after a
// sign-out) keep it, and rendering a page costs no extra database read for it.

export const LOCALES = ["en", "de", "ar"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "beacon-locale";
const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** Each language's name in itself, for the language picker (never translated). */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", de: "Deutsch", ar: "العربية" };

const RTL = new Set<Locale>(["ar"]);
export function directionOf(locale: Locale): "rtl" | "ltr" {
  return RTL.has(locale) ? "rtl" : "ltr";
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best supported language for an Accept-Language header ("de-CH,de;q=0.9,en;q=0.8"): highest
 * q first, a region falls back to its language, anything unknown is skipped.
 */
export function fromAcceptLanguage(header: string | null | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const weight = q ? Number(q.slice(2)) : 1;
      return { tag: tag.trim().toLowerCase(), weight: Number.isFinite(weight) ? weight : 0, i };
    })
    .filter((x) => x.tag && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.i - b.i);
  for (const { tag } of ranked) {
    const base = tag.split("-")[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

export function resolveLocale(cookie: string | undefined, acceptLanguage: string | null | undefined): Locale {
  if (isLocale(cookie)) return cookie;
  return fromAcceptLanguage(acceptLanguage) ?? DEFAULT_LOCALE;
}

/**
 * The cookie that keeps a language on this device, for a Set-Cookie header and document.cookie alike
 * (not httpOnly: the page sets it when it follows the account; nothing secret in it). "" clears it.
 */
export function localeCookie(locale: Locale | ""): string {
  return locale
    ? `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=${LOCALE_COOKIE_MAX_AGE}; SameSite=Lax`
    : `${LOCALE_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`;
}
