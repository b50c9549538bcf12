// Secrets Beacon generates on first start (session signing key, embedded DB password), kept in DATA_DIR
// so a zero-config install needs no setup and sessions survive restarts.
import { randomBytes } from "node:crypto";
import { link, mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { embeddedClusterExists } from "@/lib/db/embedded";

export interface LocalSecrets {
  nextauthSecret: string;
  pgPassword: string;
}

function restoreAdvice(file: string): string {
  return (
    `Restore ${file} from your backup of DATA_DIR (docs/deploy.md) and start again. ` +
    `Only if the data in ${path.join(path.dirname(file), "postgres")} is not needed: move that folder away ` +
    "and delete the file, and Beacon creates a new database with new secrets."
  );
}

function parse(file: string, text: string): LocalSecrets {
  let parsed: Partial<LocalSecrets>;
  try {
    parsed = JSON.parse(text) as Partial<LocalSecrets>;
  } catch {
    throw new Error(
      `${file} is damaged (${text.length === 0 ? "empty" : "not valid JSON"}). ${restoreAdvice(file)}`,
    );
  }
  if (typeof parsed?.nextauthSecret !== "string" || typeof parsed.pgPassword !== "string")
    throw new Error(`${file} is damaged (nextauthSecret or pgPassword is missing). ${restoreAdvice(file)}`);
  return parsed as LocalSecrets;
}

/**
 * The secrets in `dir`/secrets.json, created on first start. A damaged file is an error, never
 * replaced: its pgPassword is the only key to the embedded database. So is a missing file next to an
 * existing embedded database (a new password would not open it).
 */
export async function loadOrCreateSecrets(dir: string): Promise<LocalSecrets> {
  const file = path.join(dir, "secrets.json");
  try {
    return parse(file, await readFile(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  if (embeddedClusterExists(dir))
    throw new Error(
      `${file} is missing, but ${path.join(dir, "postgres")} holds a database whose password it kept. ` +
        restoreAdvice(file),
    );
  const secrets: LocalSecrets = {
    nextauthSecret: randomBytes(32).toString("base64url"),
    pgPassword: randomBytes(24).toString("base64url"),
  };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Written whole to a private temp file and flushed, then linked into place: a crash leaves either no
  // secrets.json or a complete one, never a truncated one. link (unlike rename) does not replace a file
  // another process created meanwhile; then theirs is the one every process must use.
  const tmp = path.join(dir, `.secrets-${randomBytes(8).toString("hex")}.tmp`);
  const fh = await open(tmp, "wx", 0o600);
  try {
    try {
      await fh.writeFile(JSON.stringify(secrets, null, 2));
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await link(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      return parse(file, await readFile(file, "utf8"));
    }
    await syncDir(dir);
  } finally {
    await rm(tmp, { force: true });
  }
  return secrets;
}

/** Flush the directory entry too, so the new name survives a power cut. */
async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, "r");
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
