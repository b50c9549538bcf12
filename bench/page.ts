// Bench part `page` (issue #20 item 6): what a browser loads for a room, and how fast it paints.
// 1. First-load JavaScript of /rooms/[roomId], gzip, from the production build in .next: the chunks
//    Next lists for the route (.next/diagnostics/route-bundle-stats.json, the same set as the
//    route's client reference manifest plus the build manifest's root chunks), each gzipped at
//    zlib's default level (what a gzip-compressing server sends) and summed.
// 2. Lighthouse 12 (desktop and mobile presets) against the room page of a room of 100,000 messages,
//    signed in (the session cookie goes along as a header), in Debian's Chromium on loopback.
//    Chromium is pinned to the generator's core, the server and PostgreSQL stay on theirs.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import { gzipSync } from "node:zlib";
import pg from "pg";
import { seedMessages } from "../scripts/measure-lib";
import { GEN_CORE, pinTree, ROOT } from "./processes";

export const PAGE_ROUTE = "/rooms/[roomId]";
/** The client reference manifest of the route (route group included), under .next/server/app. */
const ROUTE_DIR = path.join("(chat)", "rooms", "[roomId]");
export const PAGE_MESSAGES = 100_000;

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}

export interface FirstLoadJs {
  route: string;
  /** Where the chunk list came from. */
  source: "route-bundle-stats" | "manifests";
  chunks: ChunkSize[];
  bytes: number;
  gzipBytes: number;
  kib: number;
}

/** The JS chunks a first load of `route` fetches, per the build output in `nextDir`. */
export function firstLoadChunks(
  nextDir: string,
  route = PAGE_ROUTE,
): { files: string[]; source: FirstLoadJs["source"] } {
  const stats = path.join(nextDir, "diagnostics", "route-bundle-stats.json");
  if (existsSync(stats)) {
    const routes = JSON.parse(readFileSync(stats, "utf8")) as {
      route: string;
      firstLoadChunkPaths: string[];
    }[];
    const r = routes.find((x) => x.route === route);
    if (r)
      return {
        files: r.firstLoadChunkPaths.map((p) => p.replace(/^\.next\//, "")),
        source: "route-bundle-stats",
      };
  }
  // Older builds: the root chunks (build manifest) and every entry of the route's client reference
  // manifest (its layouts, error and not-found boundaries, and the page). Polyfills are nomodule.
  const build = JSON.parse(readFileSync(path.join(nextDir, "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  const file = path.join(nextDir, "server", "app", ROUTE_DIR, "page_client-reference-manifest.js");
  const sandbox = { globalThis: {} as Record<string, unknown> };
  vm.runInNewContext(readFileSync(file, "utf8"), sandbox);
  const manifests = (sandbox.globalThis.__RSC_MANIFEST ?? {}) as Record<
    string,
    { entryJSFiles: Record<string, string[]> }
  >;
  const files = new Set(build.rootMainFiles);
  for (const m of Object.values(manifests))
    for (const list of Object.values(m.entryJSFiles)) for (const f of list) files.add(f);
  return { files: [...files], source: "manifests" };
}

export function firstLoadJs(nextDir = path.join(ROOT, ".next"), route = PAGE_ROUTE): FirstLoadJs {
  const { files, source } = firstLoadChunks(nextDir, route);
  const chunks = files.map((file) => {
    const buf = readFileSync(path.join(nextDir, file));
    return { file, bytes: buf.length, gzipBytes: gzipSync(buf).length };
  });
  chunks.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const gzipBytes = chunks.reduce((s, c) => s + c.gzipBytes, 0);
  return {
    route,
    source,
    chunks,
    bytes: chunks.reduce((s, c) => s + c.bytes, 0),
    gzipBytes,
    kib: Number((gzipBytes / 1024).toFixed(1)),
  };
}

export type Preset = "desktop" | "mobile";

export interface LighthouseResult {
  preset: Preset;
  /** Category scores, 0–100. */
  performance: number | null;
  accessibility: number | null;
  bestPractices: number | null;
  fcpMs: number | null;
  lcpMs: number | null;
  tbtMs: number | null;
  cls: number | null;
  speedIndexMs: number | null;
  /** Bytes of JavaScript transferred (Lighthouse's resource summary). */
  scriptTransferBytes: number | null;
  /** Audits below a full score in accessibility and best practices (what to fix), by id. */
  failing: { id: string; title: string; score: number | null }[];
  /** Of `runs` runs, the one with the median performance score is reported. */
  runs: number;
  performanceScores: (number | null)[];
  warnings: string[];
}

export interface PageResult {
  firstLoad: FirstLoadJs;
  /** Script URLs the served room page names that the build's first-load list lacks (expected: none). */
  unlistedScripts: string[];
  messages: number;
  lighthouse: Record<Preset, LighthouseResult>;
}

interface Chromium {
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Debian's Chromium, headless, with a DevTools port for Lighthouse; pinned to the generator's core. */
async function launchChromium(): Promise<Chromium> {
  const bin = process.env.CHROMIUM_PATH ?? process.env.CHROME_PATH ?? "/usr/bin/chromium";
  const profile = await mkdtemp(path.join(os.tmpdir(), "beacon-lh-"));
  const proc = spawn(
    bin,
    [
      "--headless=new",
      "--no-sandbox", // the bench runs as root here
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-default-apps",
      "--metrics-recording-only",
      "--mute-audio",
      "--password-store=basic",
      "--use-mock-keychain",
      "--disable-background-timer-throttling",
      "--disable-renderer-backgrounding",
      "--disable-backgrounding-occluded-windows",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  const killOnExit = () => proc.kill("SIGKILL");
  process.once("exit", killOnExit);
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${err.slice(-1000)}`)), 60_000);
    proc.stderr?.on("data", (d: Buffer) => {
      err += String(d);
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code}): ${err.slice(-1000)}`));
    });
  });
  pinTree(proc.pid as number, GEN_CORE);
  return {
    port,
    proc,
    async stop() {
      process.off("exit", killOnExit);
      if (proc.exitCode === null && proc.signalCode === null)
        await new Promise<void>((resolve) => {
          proc.once("exit", () => resolve());
          proc.kill("SIGTERM");
        });
      await rm(profile, { recursive: true, force: true });
    },
  };
}

const score = (s: number | null | undefined) => (s === null || s === undefined ? null : Math.round(s * 100));

async function lighthouseOnce(
  url: string,
  cookie: string,
  preset: Preset,
  report: string,
): Promise<Omit<LighthouseResult, "runs" | "performanceScores">> {
  const { default: lighthouse, desktopConfig } = await import("lighthouse");
  const chrome = await launchChromium();
  try {
    const r = await lighthouse(
      url,
      {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility", "best-practices"],
        extraHeaders: { Cookie: cookie },
      },
      preset === "desktop" ? desktopConfig : undefined,
    );
    if (!r) throw new Error("Lighthouse returned no result");
    const lhr = r.lhr;
    if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    await writeFile(report, typeof r.report === "string" ? r.report : JSON.stringify(lhr));
    const num = (id: string) => lhr.audits[id]?.numericValue ?? null;
    const failing = (["accessibility", "best-practices"] as const).flatMap((cat) =>
      (lhr.categories[cat]?.auditRefs ?? [])
        .filter((ref) => ref.weight > 0)
        .map((ref) => lhr.audits[ref.id])
        .filter((a): a is NonNullable<typeof a> => !!a && a.score !== null && a.score < 1)
        .map((a) => ({ id: a.id, title: a.title, score: a.score })),
    );
    const scripts = (
      lhr.audits["resource-summary"]?.details as
        | { items?: { resourceType: string; transferSize: number }[] }
        | undefined
    )?.items?.find((i) => i.resourceType === "script");
    return {
      preset,
      performance: score(lhr.categories.performance?.score),
      accessibility: score(lhr.categories.accessibility?.score),
      bestPractices: score(lhr.categories["best-practices"]?.score),
      fcpMs: num("first-contentful-paint"),
      lcpMs: num("largest-contentful-paint"),
      tbtMs: num("total-blocking-time"),
      cls: num("cumulative-layout-shift"),
      speedIndexMs: num("speed-index"),
      scriptTransferBytes: scripts?.transferSize ?? null,
      failing,
      warnings: lhr.runWarnings,
    };
  } finally {
    await chrome.stop();
  }
}

/** Lighthouse `runs` times (a fresh Chromium each), reporting the run with the median performance score. */
async function lighthouseMedian(
  url: string,
  cookie: string,
  preset: Preset,
  runs: number,
  log: (s: string) => void,
): Promise<LighthouseResult> {
  const all: Omit<LighthouseResult, "runs" | "performanceScores">[] = [];
  for (let i = 0; i < runs; i++) {
    const report = path.join(ROOT, "bench", "results", `lighthouse-${preset}-${i + 1}.report.json`);
    const r = await lighthouseOnce(url, cookie, preset, report);
    log(
      `lighthouse ${preset} ${i + 1}/${runs}: performance ${r.performance}, accessibility ${r.accessibility}, best practices ${r.bestPractices}; FCP ${f0(r.fcpMs)} ms, LCP ${f0(r.lcpMs)} ms, TBT ${f0(r.tbtMs)} ms, CLS ${r.cls?.toFixed(3)}`,
    );
    all.push(r);
  }
  const sorted = [...all].sort((a, b) => (a.performance ?? -1) - (b.performance ?? -1));
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as (typeof all)[number];
  return { ...median, runs, performanceScores: all.map((r) => r.performance) };
}

const f0 = (n: number | null) => (n === null ? "–" : Math.round(n).toLocaleString("en-US"));

/** Script URLs in the served page that are not in the build's first-load list. */
async function unlistedScripts(base: string, roomPath: string, cookie: string, fl: FirstLoadJs) {
  const html = await (await fetch(`${base}${roomPath}`, { headers: { cookie } })).text();
  const listed = new Set(fl.chunks.map((c) => `/_next/${c.file}`));
  // Polyfills are `noModule`: browsers that run modules (all that Next supports) skip them.
  return [...html.matchAll(/<script\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => !/\snomodule\b/i.test(tag))
    .map((tag) => /\ssrc="([^"?]+)/.exec(tag)?.[1])
    .filter((src): src is string => !!src && src.startsWith("/_next/static/") && !listed.has(src));
}

/**
 * The page part. `b`: a running Beacon (production build) with its database; `cookie` signs in
 * `userId`, who becomes the owner of a new room seeded with PAGE_MESSAGES messages.
 */
export async function pageBench(
  b: { url: string; dbUrl: string; cookie: string; userId: string },
  opts: {
    runs: number;
    log: (s: string) => void;
    /** Settles the database after the seed (its vacuum would otherwise run during Lighthouse). */
    settle: () => Promise<void>;
  },
): Promise<PageResult> {
  const firstLoad = firstLoadJs();
  opts.log(
    `room page first-load JS: ${firstLoad.kib} KiB gzip (${(firstLoad.bytes / 1024).toFixed(0)} KiB raw) in ${firstLoad.chunks.length} chunks (${firstLoad.source})`,
  );
  const c = new pg.Client({ connectionString: b.dbUrl });
  await c.connect();
  let roomId: string;
  try {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO "Room" (name, "nameKey", "ownerId") VALUES ('bench-page', 'bench-page', $1) RETURNING id`,
      [b.userId],
    );
    roomId = (rows[0] as { id: string }).id;
    await c.query(`INSERT INTO "Membership" ("roomId", "userId", role) VALUES ($1, $2, 'owner')`, [
      roomId,
      b.userId,
    ]);
  } finally {
    await c.end();
  }
  const t = Date.now();
  await seedMessages(b.dbUrl, roomId, b.userId, PAGE_MESSAGES);
  opts.log(
    `page: seeded ${PAGE_MESSAGES.toLocaleString("en-US")} messages in ${((Date.now() - t) / 1000).toFixed(0)} s`,
  );
  await opts.settle();
  const roomPath = `/rooms/${roomId}`;
  const unlisted = await unlistedScripts(b.url, roomPath, b.cookie, firstLoad);
  if (unlisted.length)
    opts.log(`page: the served page loads scripts the build does not list: ${unlisted.join(", ")}`);
  const url = `${b.url}${roomPath}`;
  return {
    firstLoad,
    unlistedScripts: unlisted,
    messages: PAGE_MESSAGES,
    lighthouse: {
      desktop: await lighthouseMedian(url, b.cookie, "desktop", opts.runs, opts.log),
      mobile: await lighthouseMedian(url, b.cookie, "mobile", opts.runs, opts.log),
    },
  };
}
