// Personal access tokens and bots in a real browser (issue 18, items 1–2): a person creates a token
// in Settings, copies it, uses it against the API and over Socket.IO, revokes it in Settings, and the
// next call is a 401 while the open socket is closed (token_revoked). The owner creates a bot, gives
// it a token, adds it to a room; the bot posts over socket.io-client with `auth: { token }`, and the
// message shows with a BOT badge in the owner's open room.
import type { BrowserContext } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { expect, test } from "./fixtures";
import { createRoom, signUp, uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function asOwner(context: BrowserContext, baseURL: string): Promise<void> {
  const [name, ...rest] = ownerCookie().split("=");
  await context.addCookies([{ name: name as string, value: rest.join("="), url: baseURL }]);
}

async function tokenSocket(base: string, token: string): Promise<Client> {
  const s: Client = io(base, {
    transports: ["websocket"],
    auth: { token },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

test("a token made in Settings works for the API and the socket until it is revoked there", async ({
  browser,
  baseURL,
  playwright,
}) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const context = await browser.newContext();
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  const page = await context.newPage();
  await signUp(page, "Tess");
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "API tokens" });
  await expect(section.getByText("No tokens yet.")).toBeVisible();
  await section.getByLabel("Token name").fill("My script");
  await expect(section.getByRole("checkbox", { name: /^Read/ })).toBeChecked();
  // A member is not offered the admin scope.
  await expect(section.getByRole("checkbox", { name: /^Admin/ })).toHaveCount(0);
  await section.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await section.getByRole("button", { name: "Create token" }).click();

  const shown = section.getByRole("region", { name: "New token" });
  await expect(shown).toContainText("you will not see it again");
  const field = shown.getByRole("textbox", { name: "New token" });
  await expect(field).toHaveAttribute("readonly", "");
  const token = await field.inputValue();
  expect(token).toMatch(/^bcn_[\w-]{40,}$/);
  await shown.getByRole("button", { name: "Copy" }).click();
  await expect(shown.getByRole("status")).toHaveText("Copied to the clipboard.");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  const row = section.getByRole("listitem", { name: "My script" });
  await expect(row).toContainText("Scopes: Read");
  await expect(row).toContainText("expires");
  await expect(row).toContainText("Never used");

  // The token works without any cookie, with the scopes it has.
  const api = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  const rooms = await api.get("/api/rooms");
  expect(rooms.status()).toBe(200);
  expect(Array.isArray((await rooms.json()).rooms)).toBe(true);
  const refused = await api.post("/api/rooms", { data: { name: uniqueName("nope") } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.message).toBe('This token does not have the "write" scope');
  const socket = await tokenSocket(base, token);
  const closing = new Promise<string>((resolve) => socket.once("socket:closing", (c) => resolve(c.reason)));

  // Shown once: after a reload the list has it (with its last use), the page never has the token.
  await page.reload();
  await expect(row).toContainText(/Last used .* from /);
  expect(await page.content()).not.toContain(token);

  await row.getByRole("button", { name: "Revoke My script" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “My script”?" });
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(section.getByRole("status")).toContainText("Token “My script” revoked");
  await expect(row).toHaveCount(0);
  expect(await closing).toBe("token_revoked");
  const after = await api.get("/api/rooms");
  expect(after.status()).toBe(401);
  expect((await after.json()).error.code).toBe("unauthorized");
  socket.close();
  await api.dispose();
  await context.close();
});

test("the owner creates a bot with a token; its socket message shows with a BOT badge", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(150_000);
  const base = baseURL as string;
  const ownerCtx = await browser.newContext();
  await asOwner(ownerCtx, base);
  const owner = await ownerCtx.newPage();
  await owner.goto("/settings");
  await owner.getByRole("link", { name: "Manage bots" }).click();
  await expect(owner).toHaveURL(`${base}/settings/bots`);
  const botName = uniqueName("deploybot");
  await owner.getByLabel("Bot username").fill(botName);
  await owner.getByLabel("Bot display name").fill("Deploy Bot");
  await owner.getByLabel("Description (optional)").fill("Says when a deploy is done");
  await owner.getByRole("button", { name: "Create bot" }).click();
  await expect(owner.getByText(`Bot @${botName} created`)).toBeVisible();
  const card = owner.getByRole("article", { name: `Bot @${botName}` });
  await expect(card).toContainText("owner: e2eowner");
  await expect(card.getByTestId("bot-badge")).toHaveText("BOT");
  const tokens = card.getByRole("region", { name: `Tokens of @${botName}` });
  await tokens.getByLabel("Token name").fill("ci");
  await tokens.getByRole("checkbox", { name: /^Write/ }).check();
  await tokens.getByRole("button", { name: "Create token" }).click();
  const token = await tokens.getByRole("textbox", { name: "New token" }).inputValue();
  expect(token).toMatch(/^bcn_/);
  await expect(tokens.getByRole("listitem", { name: "ci" })).toContainText("Scopes: Read, Write");

  // The admin console lists it with its owner.
  await owner.goto("/admin/bots");
  const listed = owner.getByRole("row", { name: new RegExp(botName) });
  await expect(listed).toContainText("@e2eowner");
  await expect(listed).toContainText("Active");

  // A room with the bot in it (added like a person), open in the owner's browser.
  const roomName = uniqueName("deploys");
  const roomId = await createRoom(owner, roomName);
  const added = await owner.request.post(`/api/rooms/${roomId}/members`, { data: { username: botName } });
  expect(added.status()).toBe(201);

  const bot = await tokenSocket(base, token);
  const text = `Deploy ${uniqueName("v")} finished`;
  const ack = await bot.timeout(10_000).emitWithAck("message:send", {
    roomId,
    clientId: crypto.randomUUID(),
    body: text,
  });
  expect(ack).toMatchObject({ ok: true, data: { author: { username: botName, isBot: true } } });
  const message = owner.getByRole("listitem", { name: new RegExp(`^Deploy Bot: ${text}`) });
  await expect(message).toBeVisible({ timeout: 10_000 });
  await expect(message.getByTestId("bot-badge")).toHaveText("BOT");
  // After a reload too (history carries the flag).
  await owner.reload();
  await expect(
    owner.getByRole("listitem", { name: new RegExp(`^Deploy Bot: ${text}`) }).getByTestId("bot-badge"),
  ).toBeVisible();
  await owner.screenshot({ path: "test-results/tokens-bot-message.png" });

  // A member of the room sees the badge as well, and cannot manage the bot.
  const memberCtx = await browser.newContext();
  const memberPage = await memberCtx.newPage();
  const member = await signUp(memberPage, "Mia");
  expect(
    (
      await owner.request.post(`/api/rooms/${roomId}/members`, { data: { username: member.username } })
    ).status(),
  ).toBe(201);
  await memberPage.goto(`/rooms/${roomId}`);
  await expect(
    memberPage.getByRole("listitem", { name: new RegExp(`^Deploy Bot: ${text}`) }).getByTestId("bot-badge"),
  ).toBeVisible();
  await memberPage.goto("/settings/bots");
  await expect(memberPage.getByText("Only admins can create bots in this workspace")).toBeVisible();
  await expect(memberPage.getByRole("article")).toHaveCount(0);
  bot.close();
  await memberCtx.close();
  await ownerCtx.close();
});
