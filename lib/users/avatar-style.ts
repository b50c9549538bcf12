// What an avatar shows when a user has no picture: their initials on a colour derived from their id
// (the same colour on every screen and for every viewer, stable across display-name changes). Pure,
// so the browser and the tests share it.

/**
 * Backgrounds for white initials: each has a contrast ratio of at least 4.5:1 with white (WCAG AA
 * for text), and is dark enough to stand out on a white page and light enough to show on zinc-950.
 */
export const AVATAR_COLORS = [
  "#b91c1c", // red-700
  "#c2410c", // orange-700
  "#92400e", // amber-800
  "#15803d", // green-700
  "#0f766e", // teal-700
  "#155e75", // cyan-800
  "#1d4ed8", // blue-700
  "#4f46e5", // indigo-600
  "#6d28d9", // violet-700
  "#a21caf", // fuchsia-700
  "#be185d", // pink-700
  "#475569", // slate-600
] as const;

/** Up to two letters: the first of the first and last words ("Ana María Ruiz" → "AR", "bo" → "B"). */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  const first = (w: string | undefined) => {
    const ch = w ? [...w].find((c) => /[\p{L}\p{N}]/u.test(c)) : undefined;
    return ch ? ch.toLocaleUpperCase() : "";
  };
  const out = first(words[0]) + (words.length > 1 ? first(words.at(-1)) : "");
  return out || "?";
}

/** The background for `userId` (FNV-1a over its characters: deterministic, spread over the palette). */
export function avatarColor(userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return AVATAR_COLORS[h % AVATAR_COLORS.length] as string;
}

/** WCAG contrast ratio of two #rrggbb colours (used by the tests to hold the palette to 4.5:1). */
export function contrastRatio(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, b2] = [1, 3, 5].map((i) => {
      const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
