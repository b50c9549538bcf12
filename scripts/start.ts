// `npm start`: build the Next app when there is no current build, then run the production server.
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildIsCurrent, HASH_FILE, sourceHash } from "./build-state";

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

if (!existsSync(path.join("lib", "db", "generated", "client.ts"))) run(bin("prisma"), ["generate"]);
if (!buildIsCurrent()) {
  console.info("Building Beacon (first start or sources changed)…");
  run(bin("next"), ["build"]);
  writeFileSync(HASH_FILE, sourceHash());
}

Object.assign(process.env, { NODE_ENV: "production" });
// server.ts starts itself on import (CommonJS under tsx: no top-level await here).
import("../server").catch((err) => {
  console.error(err);
  process.exit(1);
});
