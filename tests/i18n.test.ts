// Languages: every catalog has the same keys and placeholders as English, no user-visible text is
// written into the UI code, and layout uses logical (start/end) properties so right-to-left works.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fromAcceptLanguage, LOCALES, resolveLocale } from "@/lib/i18n/locales";
import { loadMessages, NAMESPACES } from "@/lib/i18n/namespaces";
import { scanFile, scanSource } from "@/lib/i18n/scan";

const ROOT = path.resolve(__dirname, "..");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** UI code: everything under app/ except HTTP route handlers (their errors are the API's words). */
const uiFiles = walk(path.join(ROOT, "app"))
  .filter((f) => /\.(tsx?|mts)$/.test(f) && !/[/\\]route\.ts$/.test(f) && !/[/\\]app[/\\]api[/\\]/.test(f))
  .map((f) => path.relative(ROOT, f));

function flatten(obj: Record<string, unknown>, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object")
      for (const [kk, vv] of flatten(v as Record<string, unknown>, key)) out.set(kk, vv);
    else out.set(key, String(v));
  }
  return out;
}

/** The ICU arguments a message uses: {name}, {count, plural, …}, <b>…</b> tags. */
function argsOf(message: string): string[] {
  const args = new Set<string>();
  for (const m of message.matchAll(/\{\s*([A-Za-z_][\w]*)\s*(?:,|\})/g)) args.add(m[1] as string);
  for (const m of message.matchAll(/<([A-Za-z][\w]*)>/g)) args.add(`<${m[1]}>`);
  return [...args].sort();
}

describe("message catalogs", () => {
  it("every language has English's keys, placeholders and tags, and no empty message", async () => {
    const en = flatten(await loadMessages("en"));
    expect(en.size).toBeGreaterThan(0);
    for (const locale of LOCALES) {
      const other = flatten(await loadMessages(locale));
      expect([...other.keys()].sort(), `${locale}: keys`).toEqual([...en.keys()].sort());
      for (const [key, value] of other) {
        expect(value.trim(), `${locale}.${key} is empty`).not.toBe("");
        expect(argsOf(value), `${locale}.${key}: placeholders`).toEqual(argsOf(en.get(key) as string));
      }
    }
  });

  it("German and Arabic are translations, not copies of English", async () => {
    const en = flatten(await loadMessages("en"));
    for (const locale of ["de", "ar"] as const) {
      const other = flatten(await loadMessages(locale));
      const same = [...en].filter(([k, v]) => other.get(k) === v && /\p{L}{4,}/u.test(v) && !/^\{/.test(v));
      // A few words are the same in German (Name, Status, Admin, Bot, OK…); a whole catalog is not.
      expect(same.length / en.size, `${locale}: ${same.map(([k]) => k).join(", ")}`).toBeLessThan(0.06);
    }
  });

  it("namespaces are exactly the catalog files on disk", () => {
    for (const locale of LOCALES) {
      const files = readdirSync(path.join(ROOT, "lib/i18n/messages", locale)).map((f) =>
        f.replace(/\.json$/, ""),
      );
      expect(files.sort()).toEqual([...NAMESPACES].sort());
    }
  });
});

describe("choosing the language", () => {
  it("follows the cookie, then the browser's ranked languages, then English", () => {
    expect(fromAcceptLanguage("de-CH,de;q=0.9,en;q=0.8")).toBe("de");
    expect(fromAcceptLanguage("fr-FR,fr;q=0.9,ar;q=0.5,en;q=0.4")).toBe("ar");
    expect(fromAcceptLanguage("en;q=0.2, de;q=0.8")).toBe("de");
    expect(fromAcceptLanguage("fr, ja")).toBeUndefined();
    expect(fromAcceptLanguage("de;q=0")).toBeUndefined();
    expect(resolveLocale(undefined, "ar-EG")).toBe("ar");
    expect(resolveLocale("de", "ar-EG")).toBe("de");
    expect(resolveLocale("xx", "fr")).toBe("en");
  });
});

describe("no hard-coded user-visible text", () => {
  it("the scanner finds text in JSX, labels and sentences, and leaves code alone", () => {
    const found = scanSource(
      "x.tsx",
      `"use client";
import { x } from "./a b";
export function A({ busy }: { busy: boolean }) {
  const cls = "flex items-center gap-2";
  setError("Could not save your profile");
  return (
    <div className={cls} data-testid="row" aria-label="Close panel">
      Hello there
      <input placeholder="Search" type="text" />
      <input placeholder={t("searchPlaceholder")} title={busy ? t("a") : t("b")} />
      {busy ? "Saving" : "Save"}
      {t("save")} ·
      <Code value="a b" /> {/* i18n-exempt: product name */}Beacon
    </div>
  );
}`,
    );
    expect(found.map((f) => f.text)).toEqual([
      "Could not save your profile",
      "Close panel",
      "Hello there",
      "Search",
      "Saving",
      "Save",
    ]);
  });

  it("no UI file writes text outside the catalogs", () => {
    const findings = uiFiles.flatMap((f) => scanFile(path.join(ROOT, f)));
    expect(findings.map((f) => `${path.relative(ROOT, f.file)}:${f.line} [${f.rule}] ${f.text}`)).toEqual([]);
  });
});

describe("right-to-left layout", () => {
  it("uses logical start/end classes and properties, never left/right", () => {
    const physical =
      /(?<![\w-])-?(ml|mr|pl|pr|left|right|border-l|border-r|rounded-l|rounded-r|rounded-tl|rounded-tr|rounded-bl|rounded-br|text-left|text-right|float-left|float-right|scroll-ml|scroll-mr)-(?=\d|\[|px|auto|full|none|sm|md|lg|xl|2xl|3xl|1\/2)|(?<![\w-])(text-left|text-right|border-l|border-r|rounded-l|rounded-r)(?![\w-])/;
    const bad: string[] = [];
    for (const f of uiFiles) {
      const lines = readFileSync(path.join(ROOT, f), "utf8").split("\n");
      lines.forEach((line, i) => {
        if (/className|class=|`|"/.test(line) && physical.test(line) && !/i18n-exempt/.test(line))
          bad.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    const css = readFileSync(path.join(ROOT, "app/globals.css"), "utf8");
    css.split("\n").forEach((line, i) => {
      if (
        /\b(margin|padding|border)-(left|right)\b|(^|\s)(left|right)\s*:|text-align:\s*(left|right)/.test(
          line,
        )
      )
        bad.push(`app/globals.css:${i + 1}: ${line.trim()}`);
    });
    expect(bad).toEqual([]);
  });
});
