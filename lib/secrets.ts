// Secrets Beacon generates on first start (session signing key, embedded DB password), kept in DATA_DIR
// so a zero-config install needs no setup and sessions survive restarts.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export interface LocalSecrets {
  nextauthSecret: string;
  pgPassword: string;
}

export async function loadOrCreateSecrets(dir: string): Promise<LocalSecrets> {
  const file = path.join(dir, "secrets.json");
  try {
    const parsed = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>;
    if (parsed.nextauthSecret && parsed.pgPassword) return parsed as LocalSecrets;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const secrets: LocalSecrets = {
    nextauthSecret: randomBytes(32).toString("base64url"),
    pgPassword: randomBytes(24).toString("base64url"),
  };
  await mkdir(dir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
