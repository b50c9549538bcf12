// The import graph of the code (lib/, app/, server.ts, scripts/), read from the source as text: no
// module imports itself back through others (a circle makes load order matter and hides which
// layer depends on which).
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

/** Every module's imports (static, dynamic, type-only and re-exports), as repo paths. */
function importGraph(): Map<string, string[]> {
  const files = ["server.ts", ...sourceFiles("lib"), ...sourceFiles("app"), ...sourceFiles("scripts")];
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    const base = spec.startsWith("@/")
      ? spec.slice(2)
      : spec.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(from), spec))
        : undefined;
    if (base === undefined) return undefined;
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

describe("imports", () => {
  it("run in no circle", () => {
    expect(circles(importGraph()).map((c) => c.join(" → "))).toEqual([]);
  });
});
