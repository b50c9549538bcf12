// Only same-site paths are accepted as post-sign-in destinations (no open redirects).
export function safeCallbackUrl(raw: string | string[] | undefined | null): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return "/rooms";
  if (!value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return "/rooms";
  if (value.startsWith("/signin") || value.startsWith("/signup") || value.startsWith("/api/"))
    return "/rooms";
  return value;
}
