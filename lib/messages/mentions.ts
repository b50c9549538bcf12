// @username mentions in message text (shared by the server, which stores them, and the renderer).

/** Matches "@name" not preceded by a word character (so e-mail addresses are not mentions). */
export const MENTION_RE = /(^|[^\p{L}\p{N}_@.])@([a-z0-9_.-]{3,32})/giu;

/** Lower-case usernames mentioned in `body` (unique, in order of first appearance). */
export function mentionedUsernames(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(MENTION_RE)) {
    const name = (m[2] ?? "").toLowerCase().replace(/[.-]+$/, "");
    if (name.length >= 3) out.add(name);
  }
  return [...out].slice(0, 50);
}
