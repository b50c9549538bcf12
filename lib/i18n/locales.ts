// The languages Beacon speaks, and how a request's language is chosen. No i18n routing: URLs stay
// the same in every language. The choice is, in order: the `beacon-locale` cookie (set from
// Settings → Language, and kept in step with the account's saved choice on every device), then the
// browser's Accept-Language, then English.

export const LOCALES = ["en", "de", "ar"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "beacon-locale";

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
