// Pure helpers of the files UI and avatars: sizes, type badges, file URLs, image boxes, initials and
// the avatar colour (deterministic, readable).
import { describe, expect, it } from "vitest";
import { fileBadge, fitBox, formatBytes } from "@/lib/files/display";
import { AVATAR_COLORS, avatarColor, contrastRatio, initials } from "@/lib/users/avatar-style";

describe("formatBytes", () => {
  it("reads like a person would write it", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
    expect(formatBytes(1024)).toBe("1 KB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(10 * 1024 + 300)).toBe("10 KB");
    expect(formatBytes(26 * 1024 * 1024)).toBe("26 MB");
    expect(formatBytes(25.5 * 1024 * 1024)).toBe("26 MB");
    expect(formatBytes(9.96 * 1024 * 1024)).toBe("10 MB");
    expect(formatBytes(3 * 1024 ** 3)).toBe("3 GB");
  });
  it("never shows 1024 of a unit after rounding", () => {
    expect(formatBytes(1024 * 1024 - 1)).toBe("1 MB");
    expect(formatBytes(1024 * 1024 * 1024 - 10)).toBe("1 GB");
  });
  it("writes the number as the reader's language does, the unit as everywhere", () => {
    expect(formatBytes(1536, "de")).toBe("1,5 KB");
    expect(formatBytes(1023, "de")).toBe("1023 B");
    expect(formatBytes(26 * 1024 * 1024, "de")).toBe("26 MB");
    expect(formatBytes(1536, "en")).toBe(formatBytes(1536));
  });
  it("gives nothing for nonsense", () => {
    expect(formatBytes(-1)).toBe("");
    expect(formatBytes(Number.NaN)).toBe("");
  });
});

describe("fileBadge", () => {
  it("labels by extension, coloured by kind", () => {
    expect(fileBadge("report.pdf", "application/pdf")).toEqual({ label: "PDF", tone: "red" });
    expect(fileBadge("page.html", "text/html")).toEqual({ label: "HTML", tone: "blue" });
    expect(fileBadge("logo.svg", "image/svg+xml")).toEqual({ label: "SVG", tone: "violet" });
    expect(fileBadge("a.tar.gz", "application/gzip")).toEqual({ label: "GZ", tone: "amber" });
    expect(fileBadge("data.csv", "text/csv").tone).toBe("green");
  });
  it("falls back to the type, then to FILE", () => {
    expect(fileBadge("README", "text/plain").label).toBe("FILE");
    expect(fileBadge("clip", "image/png").label).toBe("PNG");
    expect(fileBadge("blob", "").label).toBe("FILE");
  });
});

describe("fitBox", () => {
  it("scales down to fit, keeping the aspect ratio, never up", () => {
    expect(fitBox(1600, 1200, { w: 320, h: 240 })).toEqual({ width: 320, height: 240 });
    expect(fitBox(1000, 100, { w: 320, h: 240 })).toEqual({ width: 320, height: 32 });
    expect(fitBox(100, 1000, { w: 320, h: 240 })).toEqual({ width: 24, height: 240 });
    expect(fitBox(50, 40, { w: 320, h: 240 })).toEqual({ width: 50, height: 40 });
  });
  it("reserves a square when the size is unknown", () => {
    expect(fitBox(null, null, { w: 320, h: 240 })).toEqual({ width: 240, height: 240 });
    expect(fitBox(0, 10, { w: 320, h: 240 })).toEqual({ width: 240, height: 240 });
  });
});

describe("initials", () => {
  it("takes the first letters of the first and last words", () => {
    expect(initials("Ana")).toBe("A");
    expect(initials("ana maría ruiz")).toBe("AR");
    expect(initials("  bo  ")).toBe("B");
    expect(initials("Émile Zola")).toBe("ÉZ");
    expect(initials("(Ana) - Bo")).toBe("AB");
  });
  it("says ? when there is nothing to take", () => {
    expect(initials("")).toBe("?");
    expect(initials("🙂 ---")).toBe("?");
  });
});

describe("avatarColor", () => {
  it("is the same colour for the same id, and spreads ids over the palette", () => {
    const id = "0b7e4c1e-8f0a-4d2b-9a51-2a3c4d5e6f70";
    expect(avatarColor(id)).toBe(avatarColor(id));
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(avatarColor(`user-${i}`));
    expect(seen.size).toBeGreaterThanOrEqual(AVATAR_COLORS.length - 1);
  });
  it("every colour keeps white initials readable (WCAG AA 4.5:1)", () => {
    for (const c of AVATAR_COLORS) expect(contrastRatio(c, "#ffffff"), c).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 0);
  });
});
