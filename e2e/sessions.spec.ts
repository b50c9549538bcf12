// Sessions end on the server (issue 13, items 8 and 9), in Chromium against the production build:
// a signed-out cookie no longer works anywhere, sign-out clears this browser's outboxes, "Sign out
// everywhere" ends every session, and a tab closed for too many sockets stays closed until asked.
import { expect, type Page, test } from "@playwright/test";
import { createRoom, messageBodies, sendMessage, signUp, socketFor, uniqueName } from "./helpers";

/** The localStorage keys of unsent-message outboxes in this page's origin. */
function outboxKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("beacon.outbox.")));
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/rooms**");
}

test("sign-out: the saved cookie is refused, the open socket is closed, the outbox is gone", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "Sid");
  const roomId = await createRoom(page, uniqueName("out"));
  await sendMessage(page, "sent before signing out");
  await expect.poll(() => messageBodies(page)).toContain("sent before signing out");
  await expect.poll(() => outboxKeys(page)).toEqual([`beacon.outbox.${await myId(page)}.${roomId}`]);

  // What someone who copied the cookie has: the cookie itself, and a socket opened with it.
  const saved = await context.cookies();
  const socket = await socketFor(context, baseURL as string);
  const closing = new Promise<string>((resolve) => socket.once("socket:closing", (c) => resolve(c.reason)));
  const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/signin**");
  expect(await outboxKeys(page)).toEqual([]);
  expect(await closing).toBe("signed_out");
  expect(await disconnected).toBe("io server disconnect");

  const copy = await browser.newContext();
  await copy.addCookies(saved);
  const other = await copy.newPage();
  await other.goto(`/rooms/${roomId}`);
  await expect(other).toHaveURL(/\/signin\?callbackUrl=/);
  const api = await copy.request.get("/api/sidebar");
  expect(api.status()).toBe(401);
  expect(await api.json()).toMatchObject({ error: { code: "unauthorized" } });
  socket.close();
  await copy.close();
  await context.close();
});

test("Sign out everywhere ends every session of the account, in every browser", async ({ browser }) => {
  const first = await browser.newContext();
  const a = await first.newPage();
  const { username, password } = await signUp(a, "Evy");
  const second = await browser.newContext();
  const b = await second.newPage();
  await signIn(b, username, password);
  await createRoom(b, uniqueName("evy"));

  await a.goto("/settings");
  const button = a.getByRole("button", { name: "Sign out everywhere", exact: true });
  await expect(button).toBeVisible();
  await button.click();
  await a.waitForURL("**/signin**");
  // The other browser is told at once through its socket and sent to sign-in, back to its room after.
  await expect(b).toHaveURL(/\/signin\?callbackUrl=%2Frooms%2F/);
  expect((await second.request.get("/api/sidebar")).status()).toBe(401);
  expect((await first.request.get("/api/sidebar")).status()).toBe(401);
  // Signing in again works.
  await signIn(b, username, password);
  await first.close();
  await second.close();
});

test("a tab closed for too many sockets says why and waits for Reconnect", async ({ browser, baseURL }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, "Tabs");
  await createRoom(page, uniqueName("tabs"));
  await sendMessage(page, "this tab is connected");
  await expect.poll(() => messageBodies(page)).toContain("this tab is connected");

  // 20 more sockets of the same user (the default limit is 20): the tab's, the oldest, is closed.
  const sockets = [];
  for (let i = 0; i < 20; i++) sockets.push(await socketFor(context, baseURL as string));
  const notice = page.getByRole("alert").filter({ hasText: "too many Beacon tabs or devices" });
  await expect(notice).toBeVisible();
  const reconnect = notice.getByRole("button", { name: "Reconnect" });
  await expect(reconnect).toBeVisible();
  // It does not reconnect by itself (which would close another tab, and so on forever).
  await page.waitForTimeout(2500);
  await expect(notice).toBeVisible();
  expect(sockets.every((s) => s.connected)).toBe(true);

  const oldest = sockets[0];
  const oldestClosed = new Promise<string>((resolve) =>
    oldest?.once("socket:closing", (c) => resolve(c.reason)),
  );
  await reconnect.click();
  await expect(notice).toHaveCount(0);
  expect(await oldestClosed).toBe("too_many_sockets");
  await sendMessage(page, "back again");
  await expect.poll(() => messageBodies(page)).toContain("back again");
  for (const s of sockets) s.close();
  await context.close();
});

/** The signed-in user's id, as the session endpoint reports it. */
async function myId(page: Page): Promise<string> {
  const res = await page.request.get("/api/auth/session");
  const body = (await res.json()) as { user?: { id?: string } };
  return body.user?.id ?? "";
}
