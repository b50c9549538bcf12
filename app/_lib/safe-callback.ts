// Only same-site paths are accepted as post-sign-in destinations (no open redirects).
import { hasControlChars } from "@/lib/text";

const FALLBACK = "/rooms";
/** A base no real request can come from: a value that resolves off it left our origin. */
const BASE = "http://x.invalid";

export function safeCallbackUrl(raw: string | string[] | undefined | null): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value?.startsWith("/")) return FALLBACK;
  // Browsers drop tab/CR/LF inside URLs and read "\" as "/", so "/\t/evil.com" and "/\evil.com"
  // become "//evil.com" (another host). Refuse them outright rather than guess how a browser parses.
  if (hasControlChars(value) || value.includes("\\")) return FALLBACK;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return FALLBACK;
  }
  if (url.origin !== BASE) return FALLBACK;
  // "/.//evil.com" normalises to the path "//evil.com", which a browser reads as another host.
  if (url.pathname.startsWith("//")) return FALLBACK;
  const path = url.pathname.toLowerCase();
  if (["/signin", "/signup", "/api"].some((p) => path === p || path.startsWith(`${p}/`))) return FALLBACK;
  // The normalised form (no "." or ".." segments, percent-encoding kept), with its query and hash.
  return `${url.pathname}${url.search}${url.hash}`;
}
