// Small text checks shared by the schemas.

/** True when `s` has a C0 control character (other than those in `allow`) or DEL. */
export function hasControlChars(s: string, allow = ""): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 0x20 || c === 0x7f) && !allow.includes(s[i] as string)) return true;
  }
  return false;
}
