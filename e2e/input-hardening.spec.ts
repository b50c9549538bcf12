// Hostile query strings on pages: redirect targets with tab/CR/LF, ?error= keys that name
// Object.prototype members, and control characters in the browse filter. Each must give a
// readable page, never a crash or another site.
import { expect, test } from "@playwright/test";
import { signUp } from "./helpers";

test("sign-in's callbackUrl cannot leave the site through tab, CR, LF or backslash", async ({
  page,
  baseURL,
}) => {
  await signUp(page, "Odo"); // signed in: /signin redirects straight to the callback
  const origin = new URL(baseURL as string).origin;
  for (const cb of [
    "%2F%09%2Fevil.example",
    "%2F%0A%2Fevil.example",
    "%2F%0D%2Fevil.example",
    "%2F%5Cevil.example",
    "%2F.%2F%2Fevil.example",
  ]) {
    await page.goto(`/signin?callbackUrl=${cb}`);
    expect(new URL(page.url()).origin, cb).toBe(origin);
    await expect(page, cb).toHaveURL(/\/rooms$/);
  }
  await page.goto(`/signin?callbackUrl=${encodeURIComponent("/browse?q=x")}`);
  await expect(page).toHaveURL(/\/browse\?q=x$/);
});

test("sign-in shows a readable message for any ?error= key, including constructor and __proto__", async ({
  page,
}) => {
  for (const key of ["constructor", "__proto__", "toString", "SomethingNew"]) {
    const res = await page.goto(`/signin?error=${key}`);
    expect(res?.status(), key).toBe(200);
    // filtered: Next's route announcer is an alert too
    await expect(page.getByRole("alert").filter({ hasText: "Sign-in failed" }), key).toHaveText(
      "Sign-in failed. Try again.",
    );
  }
  await page.goto("/signin?error=CredentialsSignin");
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText(
    "Wrong username or password.",
  );
});

test("browse explains a filter with a control character instead of crashing", async ({ page }) => {
  await signUp(page, "Pia");
  const res = await page.goto("/browse?q=%00");
  expect(res?.status()).toBe(200);
  await expect(page.getByRole("alert").filter({ hasText: "control characters" })).toHaveText(
    "Search cannot contain control characters",
  );
  await expect(page.getByRole("heading", { name: "Browse rooms" })).toBeVisible();
  const api = await page.request.get("/api/rooms/public?q=%00");
  expect(api.status()).toBe(400);
  expect((await api.json()).error.code).toBe("validation");
});
