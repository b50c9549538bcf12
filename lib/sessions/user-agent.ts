// A small user-agent reader for "Your devices": browser and operating system names, nothing more.
// Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux".

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, "Edge"],
  [/\b(?:OPR|Opera)\/(\d+)/, "Opera"],
  [/\bFirefox\/(\d+)|\bFxiOS\/(\d+)/, "Firefox"],
  [/\bSamsungBrowser\/(\d+)/, "Samsung Internet"],
  [/\bHeadlessChrome\/(\d+)/, "Chrome (headless)"],
  [/\b(?:Chrome|CriOS|Chromium)\/(\d+)/, "Chrome"],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, "Safari"],
  [/\bnode\b|\bundici\b/i, "Node.js"],
  [/\bcurl\/(\d+)/, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\b(?:iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** What an unreadable user agent gives; the UI shows these in the reader's language. */
export const UNKNOWN_BROWSER = "Unknown browser";
export const UNKNOWN_SYSTEM = "Unknown system";

export interface ParsedUserAgent {
  browser: string;
  os: string;
}

export function parseUserAgent(ua: string): ParsedUserAgent {
  let browser = UNKNOWN_BROWSER;
  for (const [re, name] of BROWSERS) {
    const m = re.exec(ua);
    if (m) {
      const version = m.slice(1).find(Boolean);
      browser = version ? `${name} ${version}` : name;
      break;
    }
  }
  const os = SYSTEMS.find(([re]) => re.test(ua))?.[1] ?? UNKNOWN_SYSTEM;
  return { browser, os };
}
