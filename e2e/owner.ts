// The e2e workspace owner made by owner.setup.ts (the first account on the e2e server).
import { readFileSync } from "node:fs";
import path from "node:path";

export const OWNER = { username: "e2eowner", password: "correct horse battery" } as const;
export const OWNER_FILE = path.resolve(process.cwd(), "reports", "e2e-owner.json");

/** The owner's session cookie ("next-auth.session-token=…"). */
export function ownerCookie(): string {
  return (JSON.parse(readFileSync(OWNER_FILE, "utf8")) as { cookie: string }).cookie;
}
