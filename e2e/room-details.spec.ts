// Presence and counts where people look, and the room page's details (issue #19 item 6): presence
// dots on DMs and authors, a live member count, stable group DM names, private rooms with a lock,
// "(edited)" inline, times on hover and in the reader's locale, code line height, the offline banner,
// the notifications offer, profile cards on a click, and a queued burst under one author row.
import { expect, type Page } from "@playwright/test";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import { signInCookie } from "@/scripts/server-harness";
import { test } from "./fixtures";
import { createRoom, joinRoom, seedMessages, sendMessage, signUp, socketFor, uniqueName } from "./helpers";

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } as const;

async function openDm(page: Page, usernames: string[]): Promise<string> {
  const res = await page.request.post("/api/dms", { data: { usernames } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { room: { id: string } }).room.id;
}

const sidebar = (page: Page) => page.getByRole("navigation", { name: "Sidebar" });
const log = (page: Page) => page.getByRole("log");

test("presence dots: on each DM in the sidebar and next to authors, live as people come and go", async ({
  pair,
}) => {
  const [ana, bo] = pair;
  const dmId = await openDm(ana.page, [bo.username]);
  await bo.page.goto(`/rooms/${dmId}`);
  await sendMessage(bo.page, "hi from Bo");
  await ana.page.goto(`/rooms/${dmId}`);
  await expect(log(ana.page)).toContainText("hi from Bo");

  const dmLink = sidebar(ana.page).getByRole("link", { name: /^Bo/ });
  await expect(dmLink.getByTestId("presence")).toHaveAttribute("data-presence", "online");
  await expect(dmLink).toHaveAccessibleName(/Bo \(online\)/);
  const author = ana.page.getByTestId("message").filter({ hasText: "hi from Bo" });
  await expect(author.getByTestId("presence")).toHaveAttribute("data-presence", "online");

  // Bo goes away for good: both dots follow (after the reload grace period).
  await bo.context.close();
  await expect(dmLink.getByTestId("presence")).toHaveAttribute("data-presence", "offline", {
    timeout: 15_000,
  });
  await expect(author.getByTestId("presence")).toHaveAttribute("data-presence", "offline");
});

test("the header's member count follows joins and leaves live", async ({ pair }) => {
  const [ana, bo] = pair;
  const roomId = await createRoom(ana.page, uniqueName("count"));
  const count = ana.page.getByTestId("member-count");
  await expect(count).toHaveText("1");
  await joinRoom(bo.page, roomId);
  await expect(count).toHaveText("2");
  expect((await bo.page.request.post(`/api/rooms/${roomId}/leave`)).ok()).toBe(true);
  await expect(count).toHaveText("1");
});

test("a group DM's name lists the others by display name, the same in the sidebar, header and title", async ({
  pair,
  baseURL,
}) => {
  const [ana] = pair;
  // Display names that sort opposite to the order they are given in.
  const zed = uniqueName("zed");
  const abe = uniqueName("abe");
  await signInCookie(baseURL as string, zed);
  await signInCookie(baseURL as string, abe);
  const dmId = await openDm(ana.page, [zed, abe]);
  await ana.page.goto(`/rooms/${dmId}`);
  const name = `${abe}, ${zed}`;
  await expect(ana.page.getByRole("heading", { level: 1 })).toContainText(name);
  const link = sidebar(ana.page).getByRole("link", { name: new RegExp(`^${name}`) });
  await expect(link).toBeVisible();
  // No one person's dot stands for a group.
  await expect(link.getByTestId("presence")).toHaveCount(0);
  await expect(ana.page).toHaveTitle(new RegExp(`^${name}`));
});

test("a private room shows its lock, never a #, in the sidebar, header, intro, title and composer", async ({
  pair,
}) => {
  const [ana] = pair;
  const name = uniqueName("leadership").toLowerCase();
  await createRoom(ana.page, name, { isPrivate: true });
  const link = sidebar(ana.page).getByRole("link", { name });
  await expect(link.locator('[data-icon="lock"]')).toBeVisible();
  await expect(link).not.toContainText("#");
  const h1 = ana.page.getByRole("heading", { level: 1 });
  await expect(h1.locator('[data-icon="lock"]')).toBeVisible();
  await expect(h1).not.toContainText("#");
  const intro = ana.page.getByTestId("room-intro");
  await expect(intro.locator('[data-icon="lock"]')).toBeVisible();
  await expect(intro).toContainText(`This is the beginning of ${name}`);
  await expect(intro).not.toContainText(`#${name}`);
  await expect(ana.page).toHaveTitle(new RegExp(`^🔒 ${name}`));
  await expect(ana.page.getByRole("textbox", { name: "Message" })).toHaveAttribute(
    "placeholder",
    `Message 🔒 ${name}`,
  );
});

test("message details: (edited) inline, grouped times on hover, normal code line height", async ({
  pair,
}) => {
  const [ana] = pair;
  await createRoom(ana.page, uniqueName("details"));
  await sendMessage(ana.page, "first line");
  await sendMessage(ana.page, "typo here");
  await sendMessage(ana.page, "```\nnpm run build\nnpm start\n```");
  const messages = ana.page.getByTestId("message");
  await expect(messages).toHaveCount(3);

  // Edit the second: "(edited)" follows the text on its line.
  const second = messages.nth(1);
  await second.hover();
  await second.getByRole("button", { name: "Edit" }).click();
  const box = ana.page.getByRole("textbox", { name: "Edit message" });
  await box.fill("typo fixed");
  await box.press("Enter");
  const edited = second.getByTestId("edited");
  await expect(edited).toBeVisible();
  const text = second.getByTestId("message-body").locator("p").last();
  const [t, e] = [await text.boundingBox(), await edited.boundingBox()];
  expect(Math.abs((t?.y ?? 0) + (t?.height ?? 0) - ((e?.y ?? 0) + (e?.height ?? 0)))).toBeLessThan(6);
  expect(e?.x ?? 0).toBeGreaterThan((t?.x ?? 0) + (t?.width ?? 0) - 1);

  // The grouped message has no author row; its time shows on hover.
  await expect(second.getByRole("button", { name: /show profile/ })).toHaveCount(0);
  const time = second.locator("time");
  await ana.page.mouse.move(0, 0);
  await expect(time).toHaveCSS("opacity", "0");
  await second.hover();
  await expect(time).toHaveCSS("opacity", "1");
  await expect(time).not.toHaveText("");
  // On one line, in the row, left of the text, never taller than the text ("4:52 PM" once wrapped in
  // the 2rem gutter, so a grouped message's text sat 12 px higher above its bottom edge and moved
  // when a prepended page took its author row away).
  const body = second.getByTestId("message-body");
  const [tb, rb, bb] = [await time.boundingBox(), await second.boundingBox(), await body.boundingBox()];
  expect(tb?.height ?? 99).toBeLessThanOrEqual(20); // one 16 px line under its 4 px padding
  expect(tb?.x ?? -1).toBeGreaterThanOrEqual(rb?.x ?? 0);
  expect((tb?.x ?? 0) + (tb?.width ?? 99)).toBeLessThanOrEqual(bb?.x ?? 0);
  expect((rb?.y ?? 0) + (rb?.height ?? 0) - (bb?.y ?? 0) - (bb?.height ?? 0)).toBeLessThanOrEqual(2.5);

  // Code at a code line height (it was the message text's 24 px on a 12 px font).
  const pre = messages.nth(2).locator("pre");
  const ratio = await pre.evaluate((el) => {
    const s = getComputedStyle(el);
    return Number.parseFloat(s.lineHeight) / Number.parseFloat(s.fontSize);
  });
  expect(ratio).toBeLessThan(1.6);
});

for (const [locale, pattern] of [
  ["en-US", /^(1[0-2]|[1-9]):[0-5]\d\s?[AP]M$/],
  ["de-DE", /^([01]\d|2[0-3]):[0-5]\d$/],
] as const) {
  test(`message times follow the reader's language (${locale})`, async ({ browser, baseURL }) => {
    const context = await browser.newContext({ locale, timezoneId: "America/New_York" });
    // Set up in English (the helpers find controls by their English names), then read in the
    // browser's own language: without the language cookie, its Accept-Language decides.
    await context.addCookies([{ name: LOCALE_COOKIE, value: "en", url: baseURL as string }]);
    const page = await context.newPage();
    await signUp(page, "Lu");
    // The account says English too while setting up: a signed-in page brings the device's cookie
    // in step with the account's choice (LocaleSync), and a new account follows the browser.
    expect((await page.request.put("/api/account/locale", { data: { locale: "en" } })).ok()).toBe(true);
    await page.reload();
    await createRoom(page, uniqueName("times"));
    await sendMessage(page, "what time is it");
    await expect(page.getByTestId("message")).toHaveCount(1);
    // Back to "Browser default": the cookie goes and the browser's Accept-Language decides.
    expect((await page.request.put("/api/account/locale", { data: { locale: "" } })).ok()).toBe(true);
    await context.clearCookies({ name: LOCALE_COOKIE });
    await page.reload();
    const time = page.getByTestId("message").first().locator("time");
    await expect(time).not.toHaveText("");
    expect(((await time.textContent()) ?? "").replace(/\s/g, " ")).toMatch(pattern);
    // The day divider too, in the reader's words.
    const day = page.locator("ol > li time").first();
    const iso = (await day.getAttribute("datetime")) as string;
    const want = new Intl.DateTimeFormat(locale, { dateStyle: "full", timeZone: "America/New_York" });
    await expect(day).toHaveText(want.format(new Date(iso)));
    // The server's rendering (its own zone and locale) is never what stays on screen.
    await page.reload();
    await expect(time).not.toHaveText("");
    expect(((await time.textContent()) ?? "").replace(/\s/g, " ")).toMatch(pattern);
    await expect(day).toHaveText(want.format(new Date(iso)));
    await context.close();
  });
}

test("on a phone, the offline banner does not cover the newest message", async ({ browser, baseURL }) => {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await signUp(page, "Mo");
  // The sidebar is a drawer on a phone: the room is made through the API.
  const made = await page.request.post("/api/rooms", { data: { name: uniqueName("banner") } });
  const roomId = ((await made.json()) as { room: { id: string } }).room.id;
  await page.goto(`/rooms/${roomId}`);
  const s = await socketFor(context, baseURL as string);
  await seedMessages(s, roomId, 25, (i) => `line ${i}`);
  s.disconnect();
  await expect(log(page)).toContainText("line 25");
  const newest = page.getByTestId("message").last();
  await context.setOffline(true);
  await expect(page.getByRole("status").filter({ hasText: "Reconnecting" })).toBeVisible();
  await page.waitForTimeout(300);
  const [m, l] = [await newest.boundingBox(), await log(page).boundingBox()];
  expect((m?.y ?? 0) + (m?.height ?? 0)).toBeLessThanOrEqual((l?.y ?? 0) + (l?.height ?? 0) + 1);
  await context.setOffline(false);
  await context.close();
});

test("the notifications offer can be dismissed for good", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "Ny");
  const offer = page.getByRole("region", { name: "Notifications" });
  await expect(offer).toBeVisible();
  await offer.getByRole("button", { name: "Don’t ask again" }).click();
  await expect(offer).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(offer).toHaveCount(0);
  await context.close();
});

test("a click on a name or avatar opens the profile card; only its Message button opens a DM", async ({
  pair,
}) => {
  const [ana, bo] = pair;
  expect(
    (
      await bo.page.request.patch("/api/account/profile", {
        data: { statusText: "On call", timeZone: "Asia/Tokyo" },
      })
    ).ok(),
  ).toBe(true);
  const roomId = await createRoom(ana.page, uniqueName("cards"));
  await joinRoom(bo.page, roomId);
  await sendMessage(bo.page, "ping from Bo");
  await expect(log(ana.page)).toContainText("ping from Bo");
  const dms = () => sidebar(ana.page).getByRole("region", { name: "Direct messages" }).getByRole("link");
  await expect(dms()).toHaveCount(0);

  const card = ana.page.getByRole("dialog", { name: "Profile of Bo" });
  await ana.page.getByRole("button", { name: "Bo, show profile" }).click();
  await expect(card).toContainText("Bo");
  await expect(card).toContainText(`@${bo.username}`);
  await expect(card.getByTestId("user-status")).toContainText("On call");
  await expect(card).toContainText("local time");
  await expect(card.getByRole("button", { name: "Message Bo" })).toBeVisible();
  await ana.page.keyboard.press("Escape");
  await ana.page.mouse.move(0, 0);
  await expect(card).toHaveCount(0);
  // The avatar opens the same card; nothing created a conversation.
  await ana.page
    .getByTestId("message")
    .filter({ hasText: "ping from Bo" })
    .locator('[data-testid^="avatar-"]')
    .click();
  await expect(card).toBeVisible();
  expect(
    (await (await ana.page.request.get("/api/sidebar")).json()).rooms.some(
      (r: { kind: string }) => r.kind === "dm",
    ),
  ).toBe(false);
  // The members panel's names open a card too.
  await ana.page.mouse.move(0, 0);
  await ana.page.getByRole("button", { name: /^Members/ }).click();
  await ana.page
    .getByRole("region", { name: "Members" })
    .getByRole("button", { name: "Bo, show profile" })
    .click();
  await expect(ana.page.getByRole("dialog", { name: `Profile of @${bo.username}` })).toContainText("On call");

  await ana.page
    .getByRole("dialog", { name: `Profile of @${bo.username}` })
    .getByRole("button", { name: "Message Bo" })
    .click();
  await ana.page.waitForURL((u) => !u.pathname.endsWith(roomId));
  await expect(ana.page.getByRole("heading", { level: 1 })).toContainText("Bo");
  await expect(dms()).toHaveCount(1);
});

test("a burst of messages queued offline stays under one author row, before and after it is sent", async ({
  pair,
}) => {
  const [ana] = pair;
  await createRoom(ana.page, uniqueName("burst"));
  await ana.context.setOffline(true);
  await expect(ana.page.getByRole("status").filter({ hasText: "Reconnecting" })).toBeVisible();
  for (const text of ["queued 1", "queued 2", "queued 3"]) await sendMessage(ana.page, text);
  const pending = ana.page.getByTestId("pending-message");
  await expect(pending).toHaveCount(3);
  await expect(pending.filter({ hasText: "Ana" })).toHaveCount(1);
  await expect(pending.first()).toContainText("Waiting for connection");
  await expect(pending.nth(1)).toHaveAttribute("data-grouped", "true");
  await expect(pending.nth(2)).toHaveAttribute("data-grouped", "true");

  await ana.context.setOffline(false);
  await expect(pending).toHaveCount(0, { timeout: 15_000 });
  await expect(ana.page.getByTestId("message")).toHaveCount(3);
  await expect(log(ana.page).getByRole("button", { name: "Ana, show profile" })).toHaveCount(1);
});
