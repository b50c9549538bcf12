// Sign-up, sign-in, sign-out and the redirect for signed-out visitors.
import { expect, test } from "@playwright/test";
import { createRoom, signUp, uniqueName } from "./helpers";

test("a signed-out visit redirects to sign-in and comes back afterwards", async ({ browser }) => {
  const owner = await browser.newContext();
  const page = await owner.newPage();
  const { username, password } = await signUp(page, "Cy");
  const roomId = await createRoom(page, uniqueName("home"));
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");

  await page.goto(`/rooms/${roomId}`);
  await expect(page).toHaveURL(new RegExp(`/signin\\?callbackUrl=${encodeURIComponent(`/rooms/${roomId}`)}`));
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText(
    "Wrong username or password.",
  );
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**/rooms/${roomId}`);
  await owner.close();
});

test("sign-up explains what is wrong: taken username, weak password", async ({ page }) => {
  const { username } = await signUp(page, "Dee");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");
  await page.goto("/signup");
  await page.getByLabel("Username").fill(username.toUpperCase());
  await page.getByLabel("Display name").fill("Someone else");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("Password must be at least 8 characters")).toBeVisible();
  await page.getByLabel("Password").fill("a perfectly fine password");
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByText("That username is taken")).toBeVisible();
  await expect(page).toHaveURL(/\/signup/);
});
