// The e2e workspace owner made by owner.setup.ts (the first account on the e2e server).
import { readFileSync } from "node:fs";
import path from "node:path";

export const OWNER = { username: "e2eowner", password: "correct horse battery" } as const;
export const OWNER_FILE = path.resolve(process.cwd(), "reports", "e2e-owner.json");

/** The owner's session cookie ("next-auth.session-token=…"). */
export function ownerCookie(): string {
  return (JSON.parse(readFileSync(OWNER_FILE, "utf8")) as { cookie: string }).cookie;
}

/**
 * Makes sure `e2eowner` is an owner, through the admin command line attached to the running e2e
 * server's embedded PostgreSQL (DATA_DIR=.e2e-data): a no-op once sign-up makes the first account
 * the owner, and a check of the CLI's "attach to a running server" path either way.
 */
export async function ensureOwnerRole(): Promise<string> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { stdout } = await promisify(execFile)(
    "npx",
    ["tsx", "scripts/admin.ts", "users:promote", OWNER.username, "--role", "owner"],
    { env: { ...process.env, DATA_DIR: ".e2e-data", DATABASE_URL: "" }, timeout: 90_000 },
  );
  return stdout;
}
