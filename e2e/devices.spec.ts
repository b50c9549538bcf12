// Your devices (issue 17, item 5) in Chromium: two browser contexts of one account; B's session is
// listed in A's Settings, and when A signs B out, B's open tab goes to sign-in at once.
import { expect, test } from "@playwright/test";
import { createRoom, signUp, uniqueName } from "./helpers";

const FIREFOX_MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0";
const shots = process.env.SCREENSHOT_DIR;

test.setTimeout(180_000);

test("A signs B out from Your devices: B's tab goes to sign-in at once", async ({ browser }) => {
  const ctxA = await browser.newContext();
  const a = await ctxA.newPage();
  const { username, password } = await signUp(a, "Dev");

  const ctxB = await browser.newContext({ userAgent: FIREFOX_MAC });
  const b = await ctxB.newPage();
  await b.goto("/signin");
  await b.waitForLoadState("networkidle"); // a fill before hydration is lost
  await b.getByLabel("Username").fill(username);
  await b.getByLabel("Password").fill(password);
  await b.getByRole("button", { name: "Sign in" }).click();
  await b.waitForURL("**/rooms**");
  // B in a room of its own, so its tab has a live socket (as in sessions.spec.ts).
  await createRoom(b, uniqueName("dev"));

  await a.goto("/settings");
  const sessions = a.getByRole("list", { name: "Signed-in sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByRole("listitem", { name: /, this device$/ })).toHaveCount(1);
  const other = sessions.getByRole("listitem", { name: "Firefox 128 on macOS" });
  await expect(other).toContainText("last seen");
  if (shots) {
    await a.screenshot({ path: `${shots}/settings-desktop.png`, fullPage: true });
    await a.setViewportSize({ width: 390, height: 844 });
    await a.screenshot({ path: `${shots}/settings-phone.png`, fullPage: true });
    await a.setViewportSize({ width: 1280, height: 720 });
  }

  await other.getByRole("button", { name: "Sign out Firefox 128 on macOS" }).click();
  // Told through its socket at once (no polling): sent to sign-in, back to its room after.
  await expect(b).toHaveURL(/\/signin\?callbackUrl=%2Frooms%2F/);
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  // A stays signed in; B's cookie no longer works.
  expect((await ctxA.request.get("/api/account/sessions")).status()).toBe(200);
  expect((await ctxB.request.get("/api/account/sessions")).status()).toBe(401);
  await ctxA.close();
  await ctxB.close();
});
