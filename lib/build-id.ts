// The id of the running Next build (`.next/BUILD_ID`, written by `next build`): it names the
// service worker's caches, so a new build replaces the cached offline shell and static assets.
import { readFileSync } from "node:fs";
import path from "node:path";

let cached: string | undefined;

/** The build id, or "dev" when there is no production build (a dev server). */
export function buildId(): string {
  if (cached === undefined) {
    try {
      cached = readFileSync(path.join(process.cwd(), ".next", "BUILD_ID"), "utf8").trim() || "dev";
    } catch {
      cached = "dev";
    }
  }
  return cached;
}
