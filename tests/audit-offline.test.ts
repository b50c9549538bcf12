// scripts/audit-offline.ts (`npm run audit:offline`, run by `npm test`): a saved `npm ls` tree with a
// known-bad version fails with a readable line per package; a clean tree passes.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

let dir = "";

async function audit(tree: unknown): Promise<{ code: number | null; out: string }> {
  dir ||= await mkdtemp(path.join(os.tmpdir(), "beacon-audit-"));
  const file = path.join(dir, `tree-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(file, typeof tree === "string" ? tree : JSON.stringify(tree));
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/audit-offline.ts", "--tree", file], {
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** The shape `npm ls --omit=dev --all --json` prints (missing optional packages are `{}`). */
function tree(versions: { ws: string; engineIo: string; effect: string }) {
  return {
    name: "beacon",
    version: "0.1.0",
    dependencies: {
      "@node-rs/argon2": { version: "2.2.1", dependencies: { "@node-rs/argon2-darwin-x64": {} } },
      "socket.io": {
        version: "4.8.4",
        dependencies: {
          "engine.io": { version: versions.engineIo, dependencies: { ws: { version: versions.ws } } },
        },
      },
      "socket.io-client": {
        version: "4.8.4",
        dependencies: {
          "engine.io-client": { version: "6.6.8", dependencies: { ws: { version: versions.ws } } },
        },
      },
      prisma: {
        version: "6.19.3",
        dependencies: {
          "@prisma/config": {
            version: "6.19.3",
            dependencies: { effect: { version: versions.effect }, "deepmerge-ts": { version: "8.0.2" } },
          },
        },
      },
    },
  };
}

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("audit:offline", () => {
  it("fails with one readable line per known-bad package, wherever it sits in the tree", async () => {
    const { code, out } = await audit(tree({ ws: "8.21.3", engineIo: "6.6.12", effect: "3.22.4" }));
    expect(code).toBe(1);
    expect(out).toContain("2 production dependencies match a known advisory");
    expect(out).toContain("engine.io@6.6.12 (socket.io > engine.io): affected <6.6.13, fixed in 6.6.13");
    // Found under engine.io first; the same version under engine.io-client is not listed twice.
    expect(out).toContain("ws@8.21.3 (socket.io > engine.io > ws): affected <8.23.0, fixed in 8.23.0");
    expect(out.match(/ws@8\.21\.3/g)).toHaveLength(1);
    expect(out).not.toContain("effect@");
  });

  it("checks pre-release versions against the range too", async () => {
    const { code, out } = await audit(tree({ ws: "8.23.0", engineIo: "6.6.13", effect: "3.22.0-beta.1" }));
    expect(code).toBe(1);
    expect(out).toContain("effect@3.22.0-beta.1 (prisma > @prisma/config > effect)");
  });

  it("passes a tree with the fixed versions", async () => {
    const { code, out } = await audit(tree({ ws: "8.23.0", engineIo: "6.6.13", effect: "3.22.1" }));
    expect(out).toContain("no production dependency matches a known advisory");
    expect(code).toBe(0);
  });

  it("says so when it is given something that is not an npm ls tree", async () => {
    const { code, out } = await audit("npm ERR! something went wrong");
    expect(code).toBe(2);
    expect(out).toContain("is not the JSON output of npm ls");
  });
});
