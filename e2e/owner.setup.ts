// Runs before every other spec (the "setup" project in playwright.config.ts), on the fresh e2e
// server: signs up the first account, which makes it the workspace owner, and keeps its cookie for
// specs that need an owner or admin (e2e/helpers.ts `ownerCookie`). Without it, whichever spec
// happened to sign up first would own the workspace.
import { writeFileSync } from "node:fs";
import { test as setup } from "@playwright/test";
import { signInCookie } from "@/scripts/server-harness";
import { OWNER, OWNER_FILE } from "./owner";

setup("the first account is the workspace owner", async ({ baseURL }) => {
  const cookie = await signInCookie(baseURL as string, OWNER.username, OWNER.password);
  writeFileSync(OWNER_FILE, JSON.stringify({ cookie }));
});
