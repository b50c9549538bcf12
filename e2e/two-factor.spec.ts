// Two-factor sign-in (issue 17, item 4) in Chromium against the production build: set it up from
// Settings reading the key off the page, codes computed here (RFC 6238), sign in with password +
// code, a replayed code refused with a readable error, a recovery code that works once.
import { expect, type Page, test } from "@playwright/test";
import { TOTP_STEP_S, totpCode } from "@/lib/auth/totp";
import { signUp } from "./helpers";

const shots = process.env.SCREENSHOT_DIR;

async function passwordStep(page: Page, username: string, password: string) {
  await page.goto("/signin");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Authentication code")).toBeVisible();
}

async function signOut(page: Page) {
  await page.goto("/rooms");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");
}

test.setTimeout(180_000); // several argon2 sign-ins on a shared machine

test("two-factor: enrol, sign in with a code, a replay is refused, a recovery code works once", async ({
  page,
}) => {
  const { username, password } = await signUp(page, "Tfa");
  await page.goto("/settings");
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = await page.getByLabel("Setup key").inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  if (shots) await page.screenshot({ path: `${shots}/two-factor-setup.png`, fullPage: true });

  // A wrong code first: said next to the field, nothing turned on.
  await page.getByLabel("Code from your app").fill("000000");
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not right" })).toContainText(
    "That code is not right",
  );
  // The previous step's code (inside the window): the current one stays unused for signing in.
  await page.getByLabel("Code from your app").fill(totpCode(secret, Date.now() - TOTP_STEP_S * 1000));
  await page.getByRole("button", { name: "Turn on two-factor" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const codes = await list.getByRole("listitem").allTextContents();
  await expect(page.getByRole("link", { name: "Download codes" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy codes" })).toBeVisible();
  if (shots) await page.screenshot({ path: `${shots}/two-factor-codes.png`, fullPage: true });
  await page.getByRole("button", { name: "I have saved my codes" }).click();
  await expect(
    page.getByText("9 recovery codes left").or(page.getByText("10 recovery codes left")),
  ).toBeVisible();

  // Password + code.
  await signOut(page);
  await passwordStep(page, username, password);
  const code = totpCode(secret);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL("**/rooms**");

  // The same code again, within its window: refused with a sentence, no session.
  await signOut(page);
  await passwordStep(page, username, password);
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "already used" })).toHaveText(
    "That code was already used. Wait for the next code in your authenticator app.",
  );
  expect(page.url()).toContain("/signin");

  // A recovery code instead: works once.
  const recovery = codes[0] ?? "";
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL("**/rooms**");
  await signOut(page);
  await passwordStep(page, username, password);
  await page.getByRole("button", { name: "Use a recovery code" }).click();
  await page.getByLabel("Recovery code").fill(recovery);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "recovery code" })).toContainText(
    "recovery code is not right, or it was already used",
  );
  expect(page.url()).toContain("/signin");
});
