// The admin console, live, with three browser contexts (issue 15): the owner promotes someone to
// admin (their open tab grows an Admin link without a reload), deactivates someone (their open tab
// lands on sign-in with the reason), reactivates them, and hands over a one-time reset link that a
// fresh browser uses. Screenshots of every console tab at desktop and phone width.
import type { BrowserContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import { signUp } from "./helpers";
import { ensureOwnerRole, ownerCookie } from "./owner";

async function asOwner(context: BrowserContext, baseURL: string): Promise<void> {
  const [name, ...rest] = ownerCookie().split("=");
  await context.addCookies([{ name: name as string, value: rest.join("="), url: baseURL }]);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await ensureOwnerRole();
});

test("owner promotes, deactivates, reactivates and resets a password; the other tabs follow live", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(360_000);
  const base = baseURL as string;
  const ownerCtx = await browser.newContext();
  await asOwner(ownerCtx, base);
  const owner = await ownerCtx.newPage();
  const aCtx = await browser.newContext();
  const a = await aCtx.newPage();
  const ana = await signUp(a, "Ana");
  const bCtx = await browser.newContext();
  const b = await bCtx.newPage();
  const bo = await signUp(b, "Bo");
  await expect(a.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);

  // Promote Ana to admin: her tab shows the Admin link at once (account:updated → router.refresh()).
  await owner.goto(`/admin/users?q=${ana.username}`);
  await expect(owner.getByRole("link", { name: "Users", exact: true })).toHaveAttribute(
    "aria-current",
    "page",
  );
  await owner.getByLabel(`Role of @${ana.username}`).selectOption("admin");
  await expect(a.getByRole("link", { name: "Admin", exact: true })).toBeVisible({ timeout: 10_000 });
  // Ana (an admin) cannot change the owner's role: the option is disabled, with the reason.
  await a.goto("/admin/users?q=e2eowner");
  await expect(a.getByLabel("Role of @e2eowner")).toBeDisabled();
  await expect(
    a.getByText("Only an owner can make someone an owner or change an owner's role."),
  ).toBeVisible();

  // Deactivate Bo: his open tab goes to sign-in with the reason.
  await owner.goto(`/admin/users?q=${bo.username}`);
  await owner.getByRole("button", { name: `Deactivate @${bo.username}` }).click();
  const confirm = owner.getByRole("dialog", { name: `Deactivate @${bo.username}?` });
  await confirm.getByRole("button", { name: "Deactivate" }).click();
  await b.waitForURL("**/signin?reason=deactivated", { timeout: 30_000, waitUntil: "commit" });
  await expect(b.getByRole("alert").filter({ hasText: "deactivated" })).toHaveText(
    "Your account was deactivated by an admin.",
  );
  await expect(owner.getByText("Deactivated", { exact: true })).toBeVisible();
  // Signing in again is refused with the reason.
  await b.getByLabel("Username").fill(bo.username);
  await b.getByLabel("Password").fill(bo.password);
  await b.getByRole("button", { name: "Sign in" }).click();
  await expect(b.getByRole("alert").filter({ hasText: "deactivated" })).toHaveText(
    "Your account was deactivated by an admin.",
  );

  // Reactivate: sign-in works again.
  await owner.getByRole("button", { name: `Reactivate @${bo.username}` }).click();
  await owner
    .getByRole("dialog", { name: `Reactivate @${bo.username}?` })
    .getByRole("button", { name: "Reactivate" })
    .click();
  await expect(owner.getByText("Active", { exact: true })).toBeVisible();
  await b.getByRole("button", { name: "Sign in" }).click();
  await b.waitForURL("**/rooms");

  // Reset link, used in a fresh browser; a second use is refused.
  await owner.getByRole("button", { name: `Reset password link for @${bo.username}` }).click();
  await expect(owner.getByText("valid for 1 hour")).toBeVisible();
  const link = await owner.getByLabel(`Reset link for @${bo.username}`).inputValue();
  expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{43}$/);
  const fresh = await browser.newContext();
  const f = await fresh.newPage();
  await f.goto(link);
  await f.getByLabel("New password", { exact: true }).fill("a fresh new password");
  await f.getByLabel("Confirm new password").fill("a fresh new password");
  await f.getByRole("button", { name: "Set new password" }).click();
  await expect(f.getByRole("status")).toContainText("Your password was changed");
  // Bo's old session ended with the reset.
  // (its socket was closed as signed out; the tab checks its session and goes to sign-in by itself)
  await b.waitForURL("**/signin**", { timeout: 30_000, waitUntil: "commit" });
  await f.goto(link);
  await expect(f.getByRole("alert").filter({ hasText: "reset link" })).toContainText("already used");
  await f.goto("/signin");
  await f.getByLabel("Username").fill(bo.username);
  await f.getByLabel("Password").fill("a fresh new password");
  await f.getByRole("button", { name: "Sign in" }).click();
  await f.waitForURL("**/rooms");

  // The audit log has it all, newest first.
  await owner.goto("/admin/audit");
  await expect(owner.getByTestId("audit-row").first()).toContainText("user.password_reset");
  await expect(owner.getByRole("table")).toContainText("user.deactivate");

  // Screenshots of each tab, desktop and phone.
  for (const [w, h, tag] of [
    [1280, 800, "desktop"],
    [390, 844, "phone"],
  ] as const) {
    await owner.setViewportSize({ width: w, height: h });
    for (const tab of ["users", "rooms", "settings", "audit"]) {
      await owner.goto(`/admin/${tab}`);
      await owner.screenshot({ path: `/tmp/admin-${tab}-${tag}.png` });
    }
    await owner.goto("/admin");
    await owner.screenshot({ path: `/tmp/admin-overview-${tag}.png` });
  }
  for (const c of [ownerCtx, aCtx, bCtx, fresh]) await c.close();
});

test("settings: workspace name and logo text show in the shell and the title", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const ctx = await browser.newContext();
  await asOwner(ctx, baseURL as string);
  const page = await ctx.newPage();
  await page.goto("/admin/settings");
  await page.getByLabel("Workspace name").fill("Acme Team");
  await page.getByLabel("Logo text").fill("AC");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await expect(page.getByTestId("workspace-name")).toHaveText("Acme Team");
  await page.goto("/admin/settings");
  await expect(page).toHaveTitle(/Acme Team/);
  await page.getByLabel("Logo text").fill("TOOLONG");
  await page.getByLabel("Workspace name").fill("");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /name/i })).toBeVisible();
  // Put it back for the other specs.
  await page.getByLabel("Workspace name").fill("Beacon");
  await page.getByLabel("Logo text").fill("");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toHaveText("Settings saved.");
  await ctx.close();
});
