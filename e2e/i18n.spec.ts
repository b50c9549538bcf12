// Languages, end to end (lib/i18n/locales.ts): the language follows the browser (German
// Accept-Language: German sign-in, sign-up and chat), can be set in Settings (Arabic: right to left,
// the sidebar on the right, kept across reloads), follows the account to another device at sign-in,
// and "Browser default" gives the browser's language back. Times follow the language too.
// Expected text comes from the catalogs themselves, so a reworded message does not break the spec.
import { randomUUID } from "node:crypto";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import arAuth from "@/lib/i18n/messages/ar/auth.json";
import deAuth from "@/lib/i18n/messages/de/auth.json";
import deErrors from "@/lib/i18n/messages/de/errors.json";
import enAuth from "@/lib/i18n/messages/en/auth.json";
import { signUp, socketFor, uniqueName } from "./helpers";

const html = (page: Page) => page.locator("html");
/** The text of a rich message's <link>…</link>. */
const linkText = (message: string) => /<link>(.*)<\/link>/.exec(message)?.[1] ?? message;

async function expectLanguage(page: Page, lang: string, dir: "ltr" | "rtl") {
  await expect(html(page)).toHaveAttribute("lang", lang, { timeout: 20_000 });
  await expect(html(page)).toHaveAttribute("dir", dir);
}

async function localeCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === LOCALE_COOKIE)?.value;
}

/** Signs in through the form once it has hydrated (React focuses the username field). */
async function signIn(page: Page, t: typeof enAuth, username: string, password: string) {
  await page.goto("/signin");
  await expect(page.getByLabel(t.signIn.username)).toBeFocused();
  await page.getByLabel(t.signIn.username).fill(username);
  await page.getByLabel(t.signIn.password).fill(password);
  await page.getByRole("button", { name: t.signIn.submit, exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/signin"), { timeout: 30_000 });
}

/** Settings → Language: pick `value` ("" for the browser's) and save, with the labels of `t`. */
async function chooseLanguage(page: Page, t: typeof enAuth, value: string, lang = value || "en") {
  const select = page.getByRole("combobox", { name: t.language.title, exact: true });
  const html = page.locator("html");
  // A choice made before hydration is lost: choose again until the page speaks the language.
  await expect(async () => {
    if ((await html.getAttribute("lang")) === lang) return;
    await select.selectOption(value, { timeout: 5_000 });
    await page.getByRole("button", { name: t.language.save }).click({ timeout: 5_000 });
    await expect(html).toHaveAttribute("lang", lang, { timeout: 10_000 });
  }).toPass({ timeout: 90_000 });
}

test("a German browser gets German sign-in, sign-up and chat, with German times", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ locale: "de-DE", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  try {
    await page.goto("/signin");
    await expectLanguage(page, "de", "ltr");
    await expect(page.getByRole("heading", { name: deAuth.signIn.title })).toBeVisible();
    await expect(page.getByLabel(deAuth.signIn.password)).toBeVisible();
    await expect(page).toHaveTitle(new RegExp(deAuth.signIn.title));
    // A mistake is explained in German too (the form's own words, before anything is sent).
    await expect(page.getByLabel(deAuth.signIn.username)).toBeFocused();
    await page.getByRole("button", { name: deAuth.signIn.submit, exact: true }).click();
    await expect(page.getByRole("alert").filter({ hasText: /\S/ })).toHaveText(deErrors.signIn.missingFields);

    await page.getByRole("link", { name: linkText(deAuth.signIn.newHere) }).click();
    await page.waitForURL("**/signup?**");
    await expect(page.getByRole("heading", { name: deAuth.signUp.heading })).toBeVisible();
    await expect(page.getByLabel(deAuth.signUp.username)).toBeFocused();
    const username = uniqueName("deutsch");
    await page.getByLabel(deAuth.signUp.username).fill(username);
    await page.getByLabel(deAuth.signUp.displayName).fill("Jürgen Groß");
    // Too short: the shared schema's English sentence, shown in German.
    await page.getByLabel(deAuth.signUp.password).fill("kurz");
    await page.getByRole("button", { name: deAuth.signUp.submit }).click();
    await expect(page.getByText(deErrors.api.passwordTooShort, { exact: true })).toBeVisible();
    await page.getByLabel(deAuth.signUp.password).fill("correct horse battery");
    await page.getByRole("button", { name: deAuth.signUp.submit }).click();
    await page.waitForURL("**/rooms", { timeout: 30_000 });
    await expectLanguage(page, "de", "ltr");

    // A message's time: 24-hour German, no AM/PM.
    const base = baseURL as string;
    const created = await page.request.post("/api/rooms", {
      data: { name: uniqueName("zeit").toLowerCase() },
    });
    expect(created.status()).toBe(201);
    const roomId = ((await created.json()) as { room: { id: string } }).room.id;
    const s = await socketFor(context, base);
    // biome-ignore lint/suspicious/noExplicitAny: the typed emitWithAck does not take a timeout chain
    const ack = (await (s.timeout(10_000) as any).emitWithAck("message:send", {
      roomId,
      clientId: randomUUID(),
      body: "Moin",
    })) as { ok: boolean };
    s.disconnect();
    expect(ack.ok).toBe(true);
    await page.goto(`/rooms/${roomId}`);
    const time = page.getByTestId("message").first().locator("time").first();
    await expect(time).toHaveText(/^\d{1,2}:\d{2}$/);
    await expect(time).not.toHaveText(/AM|PM/i);
  } finally {
    await context.close();
  }
});

test("Arabic chosen in Settings: right to left, kept on reload, on another device, until Browser default", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const desk = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
  const other = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 800 } });
  const page = await desk.newPage();
  try {
    const me = await signUp(page, "Layla");
    await expectLanguage(page, "en", "ltr");

    // The route refuses a language Beacon does not have, with the API's error body.
    const bad = await page.request.put("/api/account/locale", { data: { locale: "fr" } });
    expect(bad.status()).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("validation");

    await page.goto("/settings");
    const select = page.getByRole("combobox", { name: enAuth.language.title, exact: true });
    await expect(select).toHaveValue("");
    // Each language by its own name.
    for (const name of ["English", "Deutsch", "العربية"])
      await expect(select.getByRole("option", { name, exact: true })).toBeAttached();
    await chooseLanguage(page, enAuth, "ar");
    await expectLanguage(page, "ar", "rtl");
    await expect(page.getByRole("heading", { name: arAuth.language.title })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: arAuth.language.saved })).toBeVisible();
    expect(await localeCookie(desk)).toBe("ar");

    // Right to left: the sidebar sits on the right of the page, the main area on its left.
    const sidebar = await page.locator("#sidebar").boundingBox();
    const main = await page.locator("#main").boundingBox();
    expect(sidebar && main).toBeTruthy();
    if (sidebar && main) {
      expect(sidebar.x).toBeGreaterThanOrEqual(main.x + main.width - 1);
      expect(sidebar.x + sidebar.width).toBeGreaterThan(1280 - 2);
    }

    await page.reload();
    await expectLanguage(page, "ar", "rtl");
    await expect(page.getByRole("combobox", { name: arAuth.language.title, exact: true })).toHaveValue("ar");

    // Another device with an English browser: English sign-in, then the account's Arabic.
    const phone = await other.newPage();
    await signIn(phone, enAuth, me.username, me.password);
    await expectLanguage(phone, "ar", "rtl");
    expect(await localeCookie(other)).toBe("ar");
    await phone.goto("/settings");
    await expectLanguage(phone, "ar", "rtl");

    // Browser default: back to the browser's English, and the cookie is gone.
    await chooseLanguage(page, arAuth, "");
    await expectLanguage(page, "en", "ltr");
    await expect(page.getByRole("combobox", { name: enAuth.language.title, exact: true })).toHaveValue("");
    expect(await localeCookie(desk)).toBeUndefined();
    // The other device follows on its next page.
    await phone.reload();
    await expectLanguage(phone, "en", "ltr");
    await expect.poll(() => localeCookie(other)).toBeUndefined();

    // Signed out, the device keeps its language: German chosen, then the sign-in page after signing out.
    await chooseLanguage(page, enAuth, "de");
    await expectLanguage(page, "de", "ltr");
    await desk.clearCookies({ name: "next-auth.session-token" });
    await page.goto("/signin");
    await expectLanguage(page, "de", "ltr");
    await expect(page.getByRole("heading", { name: deAuth.signIn.title })).toBeVisible();
  } finally {
    await desk.close();
    await other.close();
  }
});
