// A phone: 390×844 with touch (hasTouch, isMobile). Message actions have no hover here: a visible
// "⋯" and a long press open an action sheet (React, Reply, Edit, Delete, Copy link, Copy text), and
// New room / New message are reachable without opening the drawer.
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { joinRoom, sendMessage, signUp } from "./helpers";

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

async function phonePerson(browser: Browser, name: string) {
  const context = await browser.newContext(PHONE);
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  return { context, page, ...(await signUp(page, name)) };
}

/** A finger held still on the element for `ms` (touch events through the DevTools protocol). */
async function longPress(page: Page, target: Locator, { ms = 700, moveBy = 0 } = {}) {
  const box = await target.boundingBox();
  if (!box) throw new Error("nothing to press");
  const x = box.x + Math.min(40, box.width / 2);
  const y = box.y + box.height / 2;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  if (moveBy) {
    await page.waitForTimeout(100);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y: y + moveBy }] });
  }
  await page.waitForTimeout(ms);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await cdp.detach();
}

function message(page: Page, text: string): Locator {
  return page.getByTestId("message").filter({ hasText: text });
}

test("on a phone: ⋯ and long press open the action sheet; React, Reply, Edit, Delete, Copy link work; New room and New message without the drawer", async ({
  browser,
  pair,
}) => {
  test.setTimeout(120_000);
  const [, bo] = pair; // Bo at his desk
  const ana = await phonePerson(browser, "Ana");
  const page = ana.page;
  try {
    expect(await page.evaluate(() => matchMedia("(hover: none) and (pointer: coarse)").matches)).toBe(true);
    const drawer = page.getByRole("button", { name: "Open sidebar" });
    await expect(drawer).toHaveAttribute("aria-expanded", "false");
    // The closed drawer is out of reach (not just off screen): its New room button is not there.
    await expect(page.getByRole("navigation", { name: "Sidebar" })).toBeHidden();

    // New room from the main screen's "+".
    await page.getByRole("button", { name: "Create" }).tap();
    await page.getByRole("menuitem", { name: "New room" }).tap();
    const roomName = `phone-${Date.now().toString(36)}`;
    await page.getByLabel("Room name").fill(roomName);
    await page.getByRole("button", { name: "Create room" }).tap();
    await page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
    const roomId = page.url().split("/rooms/")[1] as string;
    await expect(page.getByRole("log", { name: `Messages in #${roomName}` })).toBeVisible();
    await expect(drawer).toHaveAttribute("aria-expanded", "false");
    // Opening a room on a phone does not raise the keyboard (no focus in the composer).
    await expect(page.getByRole("textbox", { name: "Message" })).not.toBeFocused();

    await joinRoom(bo.page, roomId);
    await sendMessage(bo.page, "hello from the desk");
    await sendMessage(page, "my first");
    await sendMessage(page, "my second");
    await expect(page.getByTestId("message")).toHaveCount(3);

    // A visible "⋯" on every message; the hover toolbar is not used on touch.
    // By its seq: the reply below quotes its text too.
    const boSeq = await message(page, "hello from the desk").getAttribute("data-seq");
    const fromBo = page.locator(`[data-testid="message"][data-seq="${boSeq}"]`);
    const more = fromBo.getByRole("button", { name: "More actions for message from Bo" });
    await expect(more).toBeVisible();
    await expect(fromBo.getByTestId("message-actions")).toBeHidden();
    await page.screenshot({ path: "test-results/phone-room.png" });

    // Long press → the sheet; every button is at least 44 px tall.
    await longPress(page, fromBo.getByTestId("message-body"));
    const sheet = page.getByRole("dialog", { name: "Message actions" });
    await expect(sheet).toBeVisible();
    for (const name of [
      "React",
      "Reply",
      "Pin message",
      "Copy link",
      "Copy text",
      "Delete message",
      "Cancel",
    ])
      await expect(sheet.getByRole("button", { name, exact: true })).toBeVisible();
    for (const b of await sheet.getByRole("button").all())
      expect((await b.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(44);
    // Not my message: no Edit (as the room's owner I may delete it, though).
    await expect(sheet.getByRole("button", { name: "Edit" })).toHaveCount(0);
    await page.screenshot({ path: "test-results/phone-action-sheet.png" });

    // React → the picker → 👍, which Bo sees.
    await sheet.getByRole("button", { name: "React" }).tap();
    await expect(sheet).toHaveCount(0);
    await page.getByRole("button", { name: "React with 👍" }).tap();
    await expect(message(bo.page, "hello from the desk").getByRole("button", { name: /👍 1/ })).toBeVisible();

    // Reply from the sheet.
    await longPress(page, fromBo.getByTestId("message-body"));
    await sheet.getByRole("button", { name: "Reply" }).tap();
    await expect(page.getByTestId("replying-to")).toContainText("hello from the desk");
    await sendMessage(page, "answer from the phone");
    await expect(message(bo.page, "answer from the phone").getByTestId("reply-quote")).toContainText(
      "hello from the desk",
    );

    // Edit my own message from its "⋯".
    const first = message(page, "my first");
    await first.getByRole("button", { name: "More actions for message from Ana" }).tap();
    await sheet.getByRole("button", { name: "Edit" }).tap();
    const edit = page.getByRole("textbox", { name: "Edit message" });
    await expect(edit).toBeFocused();
    await edit.fill("my first, edited on the phone");
    await page.getByRole("button", { name: "Save" }).tap();
    await expect(message(bo.page, "my first, edited on the phone")).toContainText("(edited)");

    // Delete my own message (confirmed).
    page.once("dialog", (d) => void d.accept());
    await longPress(page, message(page, "my second").getByTestId("message-body"));
    await sheet.getByRole("button", { name: "Delete", exact: true }).tap();
    await expect(bo.page.getByTestId("message").filter({ hasText: "message deleted" })).toHaveCount(1);

    // Copy link: the message's permalink is on the clipboard.
    await longPress(page, fromBo.getByTestId("message-body"));
    await sheet.getByRole("button", { name: "Copy link" }).tap();
    await expect(page.getByRole("status").filter({ hasText: "Link copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(
      new RegExp(`/rooms/${roomId}\\?m=${boSeq}$`),
    );

    // Cancel closes the sheet and focus returns to the "⋯" that opened it.
    await more.tap();
    await expect(sheet).toBeVisible();
    await sheet.getByRole("button", { name: "Cancel" }).tap();
    await expect(sheet).toHaveCount(0);
    await expect(more).toBeFocused();

    // A finger that moves (a scroll) is not a long press.
    await longPress(page, fromBo.getByTestId("message-body"), { moveBy: 40 });
    await expect(sheet).toHaveCount(0);

    // New message from the "+", still without the drawer.
    await page.getByRole("button", { name: "Create" }).tap();
    await page.getByRole("menuitem", { name: "New message" }).tap();
    const dm = page.getByRole("dialog", { name: "New message" });
    await expect(dm).toBeVisible();
    await dm.getByRole("combobox", { name: "To" }).fill(bo.username);
    await dm.getByRole("option", { name: new RegExp(`@${bo.username}`) }).tap();
    await dm.getByRole("button", { name: "Start conversation" }).tap();
    await expect(page.getByRole("log", { name: "Messages in Bo" })).toBeVisible();
    await expect(drawer).toHaveAttribute("aria-expanded", "false");
    await page.screenshot({ path: "test-results/phone-dm.png" });
  } finally {
    await ana.context.close();
  }
});
