// Small text checks shared by the schemas.
import { z } from "zod";

/** True when `s` has a C0 control character (other than those in `allow`) or DEL. */
export function hasControlChars(s: string, allow = ""): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 || c === 0x7f) && !allow.includes(s[i] as string)) return true;
  }
  return false;
}

/**
 * `s` with LIKE's escape character and wildcards escaped, for a literal match inside LIKE/ILIKE
 * patterns (Prisma's contains/startsWith pass the text through unescaped, with "\" as the escape).
 */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, "\\$&");
}

export const CONTROL_CHARS_IN_SEARCH = "Search cannot contain control characters";

/**
 * A free-text filter from a query string (?q=). Control characters are refused: PostgreSQL rejects
 * NUL in text (a 500 before this), and no one types the others into a search box.
 */
export const filterTextSchema = z
  .string({ error: "q must be text" })
  .refine((s) => !hasControlChars(s), CONTROL_CHARS_IN_SEARCH);
