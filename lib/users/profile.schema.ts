// Profile input (issue 17, item 6): display name, username, time zone and status; shared by the
// route, the service and the Settings form. Also the interface language (Settings → Language).
import { z } from "zod";
import { LOCALES } from "@/lib/i18n/locales";
import { hasControlChars } from "@/lib/text";
import { displayNameSchema, usernameSchema } from "./users.schema";

export const STATUS_TEXT_MAX = 100;

/** True for an IANA time zone name this runtime knows. */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** One emoji (one grapheme that is a pictograph or a flag), or "" for none. */
export function isSingleEmoji(s: string): boolean {
  if (s === "") return true;
  if (s.length > 16) return false;
  const graphemes = [...new Intl.Segmenter("en", { granularity: "grapheme" }).segment(s)];
  return graphemes.length === 1 && /\p{Extended_Pictographic}|\p{Regional_Indicator}/u.test(s);
}

export const updateProfileSchema = z.strictObject({
  displayName: displayNameSchema.optional(),
  username: usernameSchema.optional(),
  timeZone: z
    .string({ error: "Time zone must be text" })
    .refine((tz) => tz === "" || isTimeZone(tz), "Choose a time zone from the list")
    .optional(),
  statusText: z
    .string({ error: "Status must be text" })
    .trim()
    .max(STATUS_TEXT_MAX, `Status must be at most ${STATUS_TEXT_MAX} characters`)
    .refine((s) => !hasControlChars(s), "Status cannot contain control characters")
    .optional(),
  statusEmoji: z
    .string({ error: "Status emoji must be text" })
    .trim()
    .refine(isSingleEmoji, "Status emoji must be a single emoji")
    .optional(),
});
export type UpdateProfileInput = z.input<typeof updateProfileSchema>;

/** PUT /api/account/locale: one of LOCALES, or "" to follow the browser's language. */
export const localePreferenceSchema = z.strictObject({
  locale: z.enum(["", ...LOCALES], {
    error: `Choose one of: ${LOCALES.join(", ")}, or "" for the browser's language`,
  }),
});
export type LocalePreference = z.output<typeof localePreferenceSchema>["locale"];

export interface Profile {
  id: string;
  username: string;
  displayName: string;
  timeZone: string;
  statusText: string;
  statusEmoji: string;
}

/** A person's hover card (GET /api/profiles/:username): the profile, and for a bot what it is. */
export interface UserCardView extends Profile {
  /** Only on a bot's card (lib/bots): what it does and its owner. */
  bot?: { description: string; owner: { username: string; displayName: string } | null };
}
