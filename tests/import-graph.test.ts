// The import graph of the code (lib/, app/, server.ts, scripts/), read from the source as text: no
// module imports itself back through others (a circle makes load order matter and hides which
// layer depends on which), and imports run down the floors of docs/architecture.md: the edges
// (server.ts, app/, lib/http/, lib/realtime/server/) call the domain services (lib/<concept>/),
// which call the infrastructure (lib/db, lib/state, lib/env…); never the other way up. Browser code
// and the shared protocol (lib/realtime/events.ts) never import server-only code.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SKIP = new Set(["node_modules", ".next", "generated", "data", "test-results", "playwright-report"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** Every module's imports (static, dynamic, type-only and re-exports): repo paths, or package names. */
function importGraph(): Map<string, string[]> {
  const files = ["server.ts", ...sourceFiles("lib"), ...sourceFiles("app"), ...sourceFiles("scripts")];
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    const base = spec.startsWith("@/")
      ? spec.slice(2)
      : spec.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(from), spec))
        : undefined;
    // A package is named as it was imported (its first segment or two: `@scope/name`).
    if (base === undefined)
      return spec
        .split("/")
        .slice(0, spec.startsWith("@") ? 2 : 1)
        .join("/");
    return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find((c) => known.has(c));
  };
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const src = readFileSync(path.join(ROOT, f), "utf8");
    const specs = [
      ...src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/gms),
      ...src.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] as string);
    graph.set(f, [...new Set(specs.map((s) => resolve(f, s)).filter((r): r is string => !!r))]);
  }
  return graph;
}

/** The import circles of `graph`: each as the path that leads from a module back to it. */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (f: string, trail: string[]) => {
    const at = trail.indexOf(f);
    if (at >= 0) return void found.push([...trail.slice(at), f]);
    if (done.has(f)) return;
    for (const to of graph.get(f) ?? []) visit(to, [...trail, f]);
    done.add(f);
  };
  for (const f of graph.keys()) visit(f, []);
  return found;
}

/** Server-side edges: they may import anything below them; nothing below may import them. */
const EDGES = /^lib\/(http|realtime\/server)(\/|\.ts$)/;
/**
 * lib/realtime/ outside server/ runs in the browser, or on both sides (the protocol): it must not
 * pull server-only modules or packages into the browser bundle.
 */
const BROWSER = /^lib\/realtime\/(?!server\/)/;
const SERVER_ONLY =
  /^(lib\/(http|realtime\/server|state|db)(\/|\.ts$)|node:|socket\.io$|ioredis$|pino$|@socket\.io\/|@prisma\/)/;
/**
 * Imports that run up a floor on purpose. next-auth's options are the auth route's configuration
 * (an edge in all but folder): its signOut event closes that session's sockets, and a sign-in
 * refused for want of a database answers with the route helpers' error body.
 */
const UPWARD_EXCEPTIONS = new Set([
  "lib/auth/options.ts → lib/realtime/server/registry.ts",
  "lib/auth/options.ts → lib/http/index.ts",
]);

function upwardImports(graph: Map<string, string[]>): string[] {
  const bad: string[] = [];
  for (const [from, tos] of graph) {
    if (!from.startsWith("lib/") || EDGES.test(from)) continue;
    for (const to of tos) {
      const edge = `${from} → ${to}`;
      const up = BROWSER.test(from) ? SERVER_ONLY.test(to) : EDGES.test(to);
      if (up && !UPWARD_EXCEPTIONS.has(edge)) bad.push(edge);
    }
  }
  return bad;
}

describe("imports", () => {
  it("run down the floors (server edges → services → infrastructure; browser code apart)", () => {
    expect(upwardImports(importGraph())).toEqual([]);
  });

  it("run in no circle", () => {
    expect(circles(importGraph()).map((c) => c.join(" → "))).toEqual([]);
  });
});
