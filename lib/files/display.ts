// How files read in the UI: human sizes, the type badge of a download card, the box of an image. Pure and browser-safe (no server imports), shared by the timeline, the
// composer, the Files panel, search results and the tests. URLs: fileUrl in files.schema.ts.

const UNITS = ["KB", "MB", "GB", "TB"] as const;

/**
 * 0 → "0 B", 1536 → "1.5 KB", 26 MiB → "26 MB" (binary steps: the server's limits are MiB). The
 * number is written as `locale` writes numbers ("1,5 KB" in German); the unit symbols are the same
 * in every language.
 */
export function formatBytes(bytes: number, locale = "en"): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  const num = (x: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: 1, useGrouping: false }).format(x);
  if (bytes < 1024) return `${num(Math.round(bytes))} B`;
  let n = bytes;
  let unit = -1;
  do {
    n /= 1024;
    unit++;
  } while (n >= 1024 && unit < UNITS.length - 1);
  // One decimal below 10 (1.5 KB, 9.9 MB), whole numbers above; never "1024 KB" after rounding.
  let value = n < 10 ? Math.round(n * 10) / 10 : Math.round(n);
  if (value === 1024 && unit < UNITS.length - 1) {
    value = 1;
    unit++;
  }
  return `${num(value)} ${UNITS[unit]}`;
}

export type BadgeTone = "red" | "amber" | "green" | "blue" | "violet" | "zinc";

/** The short label and colour of a file's type icon, from its name's extension, else its type. */
export function fileBadge(name: string, type: string): { label: string; tone: BadgeTone } {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase();
  const t = type.toLowerCase();
  const sub = t.split("/")[1]?.split(/[+;.-]/)[0] ?? "";
  const label = (ext ?? (sub.length > 0 && sub.length <= 4 ? sub : "file")).toUpperCase();
  const tone: BadgeTone =
    t === "application/pdf" || ext === "pdf"
      ? "red"
      : /zip|tar|gzip|x-7z|rar|compressed/.test(t) ||
          ["zip", "gz", "tgz", "7z", "rar", "tar"].includes(ext ?? "")
        ? "amber"
        : /spreadsheet|csv|excel/.test(t) || ["csv", "xls", "xlsx", "ods"].includes(ext ?? "")
          ? "green"
          : t.startsWith("image/") || t.startsWith("video/") || t.startsWith("audio/")
            ? "violet"
            : t.startsWith("text/") || /json|xml|javascript|html|svg/.test(t)
              ? "blue"
              : "zinc";
  return { label, tone };
}

/**
 * The box an image is shown in, so the timeline reserves its space before the bytes arrive: its
 * own size scaled down (never up) to fit `max`. Null dimensions (unknown) get a square of `max.h`.
 */
export function fitBox(
  width: number | null,
  height: number | null,
  max: { w: number; h: number },
): { width: number; height: number } {
  if (!width || !height || width <= 0 || height <= 0) return { width: max.h, height: max.h };
  const scale = Math.min(1, max.w / width, max.h / height);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
