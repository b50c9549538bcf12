// Decides whether the Next build in .next is current: a hash of everything that goes into it.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const INPUTS = ["app", "lib", "types", "next.config.mjs", "postcss.config.mjs", "tsconfig.json", "package-lock.json"];
const SKIP = new Set(["generated", "node_modules"]);
export const HASH_FILE = path.join(".next", "BEACON_BUILD_HASH");

function walk(p: string, out: string[]): void {
  if (!existsSync(p)) return;
  if (statSync(p).isDirectory()) {
    for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) walk(path.join(p, name), out);
  } else {
    out.push(p);
  }
}

export function sourceHash(root = process.cwd()): string {
  const files: string[] = [];
  for (const input of INPUTS) walk(path.join(root, input), files);
  const h = createHash("sha256");
  for (const f of files) {
    h.update(path.relative(root, f));
    h.update(readFileSync(f));
  }
  return h.digest("hex");
}

export function buildIsCurrent(root = process.cwd()): boolean {
  const hashFile = path.join(root, HASH_FILE);
  if (!existsSync(path.join(root, ".next", "BUILD_ID")) || !existsSync(hashFile)) return false;
  return readFileSync(hashFile, "utf8").trim() === sourceHash(root);
}
