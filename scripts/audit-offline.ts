// `npm run audit:offline`: the production dependency tree (`npm ls --omit=dev --all --json`) checked
// against scripts/advisories.json, a small checked-in table of known-bad version ranges. `npm audit`
// cannot reach its endpoint where Beacon is built, so this is what `npm test` runs instead; it exits
// 1 with one line per vulnerable package found. `--tree <file>` checks a saved `npm ls` output.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import semver from "semver";

export interface Advisory {
  package: string;
  /** semver range of the affected versions */
  vulnerable: string;
  fixed: string;
  summary: string;
  source: string;
}

/** A node of `npm ls --json`: missing optional packages appear as `{}` (no version). */
interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

export interface Finding {
  advisory: Advisory;
  version: string;
  /** where it sits, e.g. "socket.io > engine.io > ws" (first path found; duplicates are folded) */
  path: string;
}

export function findVulnerable(tree: LsNode, advisories: Advisory[]): Finding[] {
  const found = new Map<string, Finding>();
  const walk = (node: LsNode, trail: string[]) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      const here = [...trail, name];
      if (!child.version) continue;
      for (const advisory of advisories) {
        if (advisory.package !== name) continue;
        if (!semver.satisfies(child.version, advisory.vulnerable, { includePrerelease: true })) continue;
        const key = `${name}@${child.version}`;
        if (!found.has(key)) found.set(key, { advisory, version: child.version, path: here.join(" > ") });
      }
      walk(child, here);
    }
  };
  walk(tree, []);
  return [...found.values()];
}

export function report(findings: Finding[]): string {
  if (findings.length === 0) return "audit:offline: no production dependency matches a known advisory";
  return [
    `audit:offline: ${findings.length} production ${findings.length === 1 ? "dependency matches" : "dependencies match"} a known advisory:`,
    ...findings.map(
      ({ advisory: a, version, path: where }) =>
        `  - ${a.package}@${version} (${where}): affected ${a.vulnerable}, fixed in ${a.fixed}; ${a.summary} [${a.source}]`,
    ),
    "Update the lockfile (npm update <package>) or add an override in package.json, then run this again.",
  ].join("\n");
}

function npmLsTree(): LsNode {
  // npm ls exits non-zero when the tree has problems (missing or invalid packages) but still prints it.
  const ls = spawnSync("npm", ["ls", "--omit=dev", "--all", "--json"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (ls.error) throw ls.error;
  try {
    return JSON.parse(ls.stdout) as LsNode;
  } catch {
    throw new Error(`npm ls did not print a dependency tree (exit ${ls.status}):\n${ls.stderr}`);
  }
}

function savedTree(file: string): LsNode {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as LsNode;
  } catch (err) {
    throw new Error(`${file} is not the JSON output of npm ls: ${(err as Error).message}`);
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const treeAt = args.indexOf("--tree");
  const treeFile = treeAt >= 0 ? args[treeAt + 1] : undefined;
  if (treeAt >= 0 && !treeFile) throw new Error("--tree needs a file (saved `npm ls --json` output)");
  const table = JSON.parse(readFileSync(path.join(__dirname, "advisories.json"), "utf8")) as {
    advisories: Advisory[];
  };
  const tree = treeFile ? savedTree(treeFile) : npmLsTree();
  const findings = findVulnerable(tree, table.advisories);
  const text = report(findings);
  if (findings.length > 0) {
    console.error(text);
    process.exitCode = 1;
  } else {
    console.info(text);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`audit:offline: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  }
}
