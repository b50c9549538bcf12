// Decides whether the Next build in .next is current (a hash of everything that goes into it) and
// builds when it is not. Used by `npm start` and `npm run build`.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "public",
  "lib",
  "types",
  "prisma/schema.prisma",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const SKIP = new Set(["generated", "node_modules"]);
const HASH_FILE = path.join(".next", "BEACON_BUILD_HASH");

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

function run(cmd: string, args: string[]): void {
  const r = spawnSync(path.join(process.cwd(), "node_modules", ".bin", cmd), args, {
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Generate the Prisma client and build the Next app unless the current build matches the sources. */
export function ensureBuild({ force = false } = {}): void {
  if (!existsSync(path.join("lib", "db", "generated", "client.ts"))) run("prisma", ["generate"]);
  if (!force && buildIsCurrent()) return;
  const hash = sourceHash();
  run("next", ["build"]);
  writeFileSync(HASH_FILE, hash);
}
