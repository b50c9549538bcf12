// Conversation features with two (or three) people in separate browser contexts: DMs, presence,
// typing, unread and read state, edit/delete, reactions, replies and permalinks, mentions,
// notifications, formatting and search.
import type { BrowserContext, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  createRoom,
  joinRoom,
  messageBodies,
  seedMessages,
  sendMessage,
  signUp,
  socketFor,
  uniqueName,
} from "./helpers";

async function person(ctx: BrowserContext, name: string) {
  const page = await ctx.newPage();
  const creds = await signUp(page, name);
  return { page, ...creds };
}

const message = (page: Page, text: string) => page.getByTestId("message").filter({ hasText: text });
const exactly = (page: Page, text: string) =>
  page
    .getByTestId("message")
    .filter({ has: page.getByTestId("message-body").getByText(text, { exact: true }) });

/** Pretend this tab went to the background (or came back). */
async function setHidden(page: Page, hidden: boolean) {
  await page.evaluate((h) => {
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => (h ? "hidden" : "visible"),
    });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);
}

test("direct messages, presence and typing between two people", async ({ pair }) => {
  const [ana, bo] = pair;

  await ana.page.getByRole("button", { name: "New message" }).click();
  await ana.page.getByRole("combobox", { name: "To" }).fill(bo.username);
  await ana.page.getByRole("option", { name: new RegExp(bo.username) }).click();
  await ana.page.getByRole("button", { name: "Start conversation" }).click();
  await ana.page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
  const dmUrl = ana.page.url();
  await sendMessage(ana.page, "hi Bo, a private word");

  // Bo's sidebar shows the conversation live, unread, under "Direct messages".
  const boDms = bo.page.getByRole("region", { name: "Direct messages" });
  await expect(boDms.getByRole("link", { name: /Ana/ })).toBeVisible();
  await expect(boDms.getByRole("link", { name: /Ana/ })).toContainText("1");
  await boDms.getByRole("link", { name: /Ana/ }).click();
  await expect(bo.page.getByRole("log")).toContainText("hi Bo, a private word");

  // Opening it again from the picker returns the same conversation. A search that cannot reach
  // the server says so (it must not look like "nobody matches").
  await bo.page.getByRole("button", { name: "New message" }).click();
  await bo.context.setOffline(true);
  await bo.page.getByRole("combobox", { name: "To" }).fill(ana.username);
  await expect(bo.page.getByRole("dialog").getByRole("alert")).toContainText("Could not reach Beacon");
  await bo.context.setOffline(false);
  await bo.page.getByRole("combobox", { name: "To" }).fill("");
  await bo.page.getByRole("combobox", { name: "To" }).fill(ana.username);
  await bo.page.getByRole("option", { name: new RegExp(ana.username) }).click();
  await bo.page.getByRole("button", { name: "Start conversation" }).click();
  await expect(bo.page).toHaveURL(dmUrl);

  // ...and so does clicking her name on one of her messages in a channel.
  const channelId = await createRoom(ana.page, uniqueName("lobby"));
  await sendMessage(ana.page, "hello lobby");
  await joinRoom(bo.page, channelId);
  // Offline, the click says why nothing opens instead of doing nothing.
  // The name opens her profile card; its "Message" button opens the DM.
  await bo.page.getByRole("button", { name: "Ana, show profile" }).first().click();
  const card = bo.page.getByRole("dialog", { name: "Profile of Ana" });
  await expect(card.getByRole("button", { name: "Message Ana" })).toBeVisible();
  await bo.context.setOffline(true);
  await card.getByRole("button", { name: "Message Ana" }).click();
  await expect(bo.page.getByRole("alert").filter({ hasText: "Could not reach Beacon" })).toBeVisible();
  await bo.context.setOffline(false);
  await card.getByRole("button", { name: "Message Ana" }).click();
  await expect(bo.page).toHaveURL(dmUrl);
  await ana.page.goto(dmUrl);

  // Presence: both online; Bo's hidden tab makes him away; closing it makes him offline.
  await ana.page.getByRole("button", { name: /Members/ }).click();
  const boRow = ana.page.getByTestId("member").filter({ hasText: bo.username });
  await expect(boRow).toHaveAttribute("data-presence", "online");
  await setHidden(bo.page, true);
  await expect(boRow).toHaveAttribute("data-presence", "away");
  await setHidden(bo.page, false);
  await expect(boRow).toHaveAttribute("data-presence", "online");

  // Typing: shown while Bo types, cleared at once when his message arrives.
  await bo.page
    .getByRole("textbox", { name: "Message" })
    .pressSequentially("typing something", { delay: 20 });
  await expect(ana.page.getByTestId("typing")).toHaveText("Bo is typing…");
  await bo.page.getByRole("textbox", { name: "Message" }).press("Enter");
  await expect(ana.page.getByRole("log")).toContainText("typing something");
  await expect(ana.page.getByTestId("typing")).toHaveText("");

  await bo.context.close();
  await expect(boRow).toHaveAttribute("data-presence", "offline", { timeout: 15_000 });
});

test("unread counts, mentions, notifications, mute and read state across tabs", async ({ browser }) => {
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext();
  await ctxB.grantPermissions(["notifications"]);
  await ctxB.addInitScript(() => {
    const w = window as unknown as { __notes: string[]; Notification: unknown };
    w.__notes = [];
    class FakeNotification {
      static permission = "granted";
      static requestPermission = async () => "granted";
      onclick: (() => void) | null = null;
      constructor(title: string, opts?: { body?: string }) {
        w.__notes.push(`${title}: ${opts?.body ?? ""}`);
      }
      close() {}
    }
    w.Notification = FakeNotification;
  });
  const ana = await person(ctxA, "Ana");
  const bo = await person(ctxB, "Bo");
  const roomName = uniqueName("team");
  const roomId = await createRoom(ana.page, roomName);
  await joinRoom(bo.page, roomId);
  await bo.page.goto("/browse");
  const second = await ctxB.newPage(); // Bo's other tab
  await second.goto("/rooms");
  await setHidden(second, true);

  await sendMessage(ana.page, "plain news");
  await sendMessage(ana.page, `@${bo.username} can you look?`);
  await sendMessage(ana.page, "more news");
  const link = bo.page
    .getByRole("region", { name: "Rooms" })
    .getByRole("link", { name: new RegExp(roomName) });
  await expect(link).toHaveAttribute("data-unread", "3");
  await expect(link).toContainText("@1");
  await expect(second).toHaveTitle(/^\(3\) /);
  await expect
    .poll(() => second.evaluate(() => (window as unknown as { __notes: string[] }).__notes))
    .toEqual([`Ana in #${roomName}: @${bo.username} can you look?`]);

  // The Mentions page lists it and links into the room.
  await bo.page.getByRole("link", { name: "Mentions", exact: true }).click();
  await expect(bo.page.getByRole("list", { name: "Mentions" })).toContainText("can you look?");

  // Opening the room marks it read here and in the other tab; the divider marks where news began.
  await link.click();
  await expect(bo.page.getByTestId("unread-divider")).toBeVisible();
  await expect(message(bo.page, "can you look?")).toHaveClass(/border-amber-400/);
  await expect(bo.page.locator(".mention-me")).toHaveText(`@${bo.username}`);
  const otherLink = second
    .getByRole("region", { name: "Rooms" })
    .getByRole("link", { name: new RegExp(roomName) });
  await expect(otherLink).toHaveAttribute("data-unread", "0");
  await expect(second).not.toHaveTitle(/^\(\d+\) /);

  // Muted: no notification, not counted in the title.
  await bo.page.getByRole("button", { name: "Mute" }).click();
  await expect(bo.page.getByRole("button", { name: /Muted/ })).toHaveAttribute("aria-pressed", "true");
  await bo.page.goto("/browse");
  await sendMessage(ana.page, `@${bo.username} muted ping`);
  await expect(otherLink).toHaveAttribute("data-unread", "1");
  await expect(second).not.toHaveTitle(/^\(\d+\) /);
  await second.waitForTimeout(500);
  expect(await second.evaluate(() => (window as unknown as { __notes: string[] }).__notes)).toHaveLength(1);
  await ctxA.close();
  await ctxB.close();
});

test("edit, delete, reactions and formatting reach the other person live and survive a reload", async ({
  pair,
}) => {
  const [ana, bo] = pair;
  const roomId = await createRoom(ana.page, uniqueName("edits"));
  await joinRoom(bo.page, roomId);

  await sendMessage(ana.page, "**bold** _it_ ~~old~~ `code` :tada: https://example.com/x <b>raw</b>");
  const formatted = message(bo.page, "bold");
  await expect(formatted.locator("strong")).toHaveText("bold");
  await expect(formatted.locator("em")).toHaveText("it");
  await expect(formatted.locator("s")).toHaveText("old");
  await expect(formatted.locator("code")).toHaveText("code");
  await expect(formatted).toContainText("🎉");
  await expect(formatted).toContainText("<b>raw</b>");
  const a = formatted.getByRole("link", { name: "https://example.com/x" });
  await expect(a).toHaveAttribute("rel", "noopener noreferrer nofollow");
  await expect(a).toHaveAttribute("target", "_blank");

  await sendMessage(ana.page, "typo here");
  const mine = message(ana.page, "typo here");
  await mine.hover();
  await mine.getByRole("button", { name: "Edit" }).click();
  await ana.page.getByRole("textbox", { name: "Edit message" }).fill("fixed text");
  await ana.page.getByRole("textbox", { name: "Edit message" }).press("Enter");
  await expect(message(bo.page, "fixed text")).toContainText("(edited)");

  // Reactions by keyboard: focus reaches the actions without hovering.
  const target = message(bo.page, "fixed text");
  await target.getByRole("button", { name: "Add reaction" }).focus();
  await bo.page.keyboard.press("Enter");
  await bo.page.getByRole("button", { name: "React with 👍" }).click();
  const chip = message(ana.page, "fixed text").getByRole("button", { name: /👍 1/ });
  await expect(chip).toBeVisible();
  await chip.hover();
  await expect(message(ana.page, "fixed text").getByRole("tooltip")).toHaveText("Bo");
  await chip.click(); // Ana adds hers: 2
  await expect(message(bo.page, "fixed text").getByRole("button", { name: /👍 2/ })).toBeVisible();
  await target.getByRole("button", { name: "Add reaction" }).click();
  await bo.page.getByRole("textbox", { name: "Any emoji or :shortcode:" }).fill(":rocket:");
  await bo.page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(message(ana.page, "fixed text").getByRole("button", { name: /🚀 1/ })).toBeVisible();

  // Delete leaves a placeholder for everyone.
  ana.page.once("dialog", (d) => void d.accept());
  await message(ana.page, "fixed text").hover();
  await message(ana.page, "fixed text").getByRole("button", { name: "Delete" }).click();
  await expect(bo.page.getByTestId("message").filter({ hasText: "message deleted" })).toHaveCount(1);
  await expect(bo.page.getByRole("log")).not.toContainText("fixed text");
  await bo.page.reload();
  await expect(bo.page.getByTestId("message").filter({ hasText: "message deleted" })).toHaveCount(1);
  expect(await messageBodies(bo.page)).toContain("message deleted");
  // Bo cannot delete Ana's message (no owner rights), but sees no Delete on it.
  await expect(message(bo.page, "bold").getByRole("button", { name: "Delete" })).toHaveCount(0);
});

test("replies jump to the original (loading history around it), permalinks open there, @ autocompletes", async ({
  pair,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const [ana, bo] = pair;
  const roomId = await createRoom(ana.page, uniqueName("long"));
  await joinRoom(bo.page, roomId);
  const socket = await socketFor(ana.context, baseURL as string);
  await seedMessages(socket, roomId, 120, (i) => `history ${i}`);
  socket.disconnect();

  // Ana replies to an old message (from a permalink view of it).
  await ana.page.goto(`/rooms/${roomId}?m=3`);
  const old = exactly(ana.page, "history 3");
  await expect(old).toBeInViewport();
  await expect(old).toHaveClass(/ring-indigo-300/);
  await old.hover();
  await old.getByRole("button", { name: "Reply" }).click();
  await expect(ana.page.getByTestId("replying-to")).toContainText("history 3");
  await sendMessage(ana.page, "answering the third");
  await ana.page.waitForURL(`**/rooms/${roomId}?m=3`);

  // Bo sees the reply live with its quote; clicking the quote loads history around the original.
  const reply = message(bo.page, "answering the third");
  await expect(reply.getByTestId("reply-quote")).toContainText("history 3");
  await bo.page.reload(); // now only the latest page is loaded
  await expect(reply.getByTestId("reply-quote")).toBeVisible();
  await expect(exactly(bo.page, "history 3")).toHaveCount(0); // far back, not loaded
  await reply.getByTestId("reply-quote").click();
  await expect(exactly(bo.page, "history 3")).toBeInViewport();
  await expect(exactly(bo.page, "history 3")).toHaveClass(/ring-indigo-300/);
  await bo.page.getByRole("button", { name: "Jump to latest ↓" }).click();
  await expect(message(bo.page, "answering the third")).toBeInViewport();

  // @ autocompletes room members.
  const box = bo.page.getByRole("textbox", { name: "Message" });
  await box.pressSequentially(`thanks @${ana.username.slice(0, 3)}`);
  await expect(bo.page.getByRole("option", { name: new RegExp(ana.username) })).toBeVisible();
  await box.press("Enter");
  await expect(box).toHaveValue(`thanks @${ana.username} `);
  await box.press("Enter");
  await expect(ana.page.locator(".mention-me").last()).toHaveText(`@${ana.username}`);
});

test("search finds words across my rooms with highlights and filters, never in rooms I cannot see", async ({
  browser,
}) => {
  const ctxA = await browser.newContext();
  const ctxE = await browser.newContext();
  const ana = await person(ctxA, "Ana");
  const word = `qx${Date.now().toString(36)}`;
  const open = uniqueName("open");
  const openId = await createRoom(ana.page, open);
  await sendMessage(ana.page, `planning the ${word}launch for friday`);
  await sendMessage(ana.page, "unrelated chatter");
  await createRoom(ana.page, uniqueName("secret"), { isPrivate: true });
  await sendMessage(ana.page, `secret ${word}launch details`);

  await ana.page.getByRole("searchbox", { name: "Search messages" }).first().fill(`${word}lau`);
  await ana.page.getByRole("searchbox", { name: "Search messages" }).first().press("Enter");
  await ana.page.waitForURL("**/search?q=*");
  const hits = ana.page.getByTestId("search-hit");
  await expect(hits).toHaveCount(2);
  await expect(hits.first().locator("mark")).toHaveText(`${word}launch`);
  await ana.page.goto(`/search?q=${encodeURIComponent(`${word}launch in:#${open}`)}`);
  await expect(hits).toHaveCount(1);
  await hits.first().click();
  await ana.page.waitForURL(new RegExp(`/rooms/${openId}\\?m=1$`));
  await expect(message(ana.page, "planning the")).toHaveClass(/ring-indigo-300/);

  const eve = await person(ctxE, "Eve");
  await eve.page.goto(`/search?q=${encodeURIComponent(`${word}launch`)}`);
  await expect(eve.page.getByTestId("search-hit")).toHaveCount(1);
  await expect(eve.page.getByRole("main")).not.toContainText("secret");
  await ctxA.close();
  await ctxE.close();
});
