// Invite links end to end, with three browser contexts: the owner makes sign-up invite-only and
// creates a guest invite to one room; a new person opens it in a fresh context, signs up and lands
// in the room, without Browse/New room; a revoked link says so; a room invite adds an existing user
// to a private room live (their open tab's sidebar gets it without a reload).
// Runs in the "workspace" project (playwright.config.ts): it changes the registration policy.
import { type APIRequestContext, type Browser, expect, type Page, test } from "@playwright/test";
import { createRoom, signUp, uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

const shots = process.env.E2E_SCREENSHOTS === "1";
// Several sign-ups and three contexts per test: more than the default minute on a busy machine.
test.describe.configure({ timeout: 150_000 });

async function ownerApi(
  playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } },
  base: string,
) {
  return playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { cookie: ownerCookie() } });
}

async function ownerPage(browser: Browser, base: string): Promise<Page> {
  const [name, ...rest] = ownerCookie().split("=");
  const context = await browser.newContext();
  await context.addCookies([{ name: name as string, value: rest.join("="), url: base }]);
  return context.newPage();
}

test("invite-only workspace: a guest signs up through a link, lands in the room, cannot browse; a revoked link says so", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const base = baseURL as string;
  const api = await ownerApi(playwright, base);
  const roomName = uniqueName("guests");
  const created = await api.post("/api/rooms", { data: { name: roomName, isPrivate: true } });
  expect(created.status()).toBe(201);
  const roomId = (await created.json()).room.id as string;

  const owner = await ownerPage(browser, base);
  await owner.goto("/admin/invites");
  await owner.getByLabel("Role").selectOption("guest");
  await owner.getByLabel("Rooms to join").selectOption([roomId]);
  await owner.getByLabel("Expires after").selectOption("7d");
  await owner.getByLabel("Max uses").fill("5");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const link = await owner.getByRole("textbox", { name: "New invite link" }).inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{32}$/);
  const token = link.split("/invite/")[1] as string;
  // Its own row (the authz spec, running alongside, makes invites too).
  const row = owner.getByTestId("invite").filter({ hasText: `…${token.slice(-6)}` });
  await expect(row).toContainText("Guest invite");
  await expect(row).toContainText(roomName);
  await expect(row).toContainText("Used 0 of 5");
  if (shots) {
    await owner.screenshot({ path: "/tmp/access-admin-invites-desktop.png", fullPage: true });
    await owner.setViewportSize({ width: 390, height: 844 });
    await owner.reload();
    await owner.screenshot({ path: "/tmp/access-admin-invites-phone.png", fullPage: true });
    await owner.setViewportSize({ width: 1280, height: 720 });
  }

  expect((await api.patch("/api/admin/settings", { data: { registration: "invite" } })).status()).toBe(200);
  try {
    // A stranger without a link: /signup says so and has no form.
    const stranger = await (await browser.newContext()).newPage();
    await stranger.goto("/signup");
    await expect(stranger.getByRole("heading", { name: "Sign-up needs an invite" })).toBeVisible();
    await expect(stranger.getByLabel("Username")).toHaveCount(0);

    // The invited person, in a fresh context.
    const guestCtx = await browser.newContext();
    const guest = await guestCtx.newPage();
    await guest.goto(`/invite/${token}`);
    await expect(guest.getByRole("heading", { name: /^Join .+ as Guest$/ })).toBeVisible();
    await expect(guest.getByRole("region", { name: "Invite" })).toContainText(roomName);
    if (shots) {
      await guest.screenshot({ path: "/tmp/access-invite-desktop.png", fullPage: true });
      await guest.setViewportSize({ width: 390, height: 844 });
      await guest.screenshot({ path: "/tmp/access-invite-phone.png", fullPage: true });
      await guest.setViewportSize({ width: 1280, height: 720 });
    }
    const username = uniqueName("guest");
    await guest.getByLabel("Username").fill(username);
    await guest.getByLabel("Display name").fill("Gus Guest");
    await guest.getByLabel("Password").fill("correct horse battery");
    await guest.getByRole("button", { name: "Sign up" }).click();
    await guest.waitForURL(`**/rooms/${roomId}`);
    await expect(guest.getByRole("log", { name: `Messages in #${roomName}` })).toBeVisible();
    // A guest has no Browse, New room or New message; /browse says why.
    await expect(guest.getByRole("button", { name: "New room" })).toHaveCount(0);
    await expect(guest.getByRole("link", { name: "Browse" })).toHaveCount(0);
    await expect(guest.getByRole("button", { name: "New message" })).toHaveCount(0);
    await guest.goto("/browse");
    await expect(
      guest.getByRole("alert").filter({ hasText: "Guests cannot browse public rooms" }),
    ).toBeVisible();
    const publicList = await guestCtx.request.get("/api/rooms/public");
    expect(publicList.status()).toBe(403);
    expect((await publicList.json()).error.message).toContain("Guests cannot browse public rooms");

    // The owner sees the use, revokes the link; it now says so.
    await owner.reload();
    await expect(row).toContainText("Used 1 of 5");
    await owner.getByRole("button", { name: `Revoke invite ending ${token.slice(-6)}` }).click();
    await expect(row).toContainText("Revoked");
    const late = await (await browser.newContext()).newPage();
    await late.goto(`/invite/${token}`);
    await expect(late.getByRole("alert").filter({ hasText: "This invite link was revoked" })).toBeVisible();
    await expect(late.getByLabel("Username")).toHaveCount(0);
  } finally {
    await api.patch("/api/admin/settings", { data: { registration: "open" } });
  }
});

test("a room invite adds an existing user to a private room, live in their open tab", async ({ browser }) => {
  const aliceCtx = await browser.newContext();
  await aliceCtx.grantPermissions(["clipboard-read", "clipboard-write"]);
  const alice = await aliceCtx.newPage();
  await signUp(alice, "Alice");
  const roomName = uniqueName("hush");
  const roomId = await createRoom(alice, roomName, { isPrivate: true });
  await alice.getByRole("button", { name: "Create invite link" }).click();
  await alice.getByLabel("Expires after").selectOption("1d");
  await alice.getByLabel("Max uses").fill("1");
  await alice.getByRole("button", { name: "Create link" }).click();
  const link = await alice.getByLabel("Invite link", { exact: true }).inputValue();
  await alice.getByRole("button", { name: "Copy link" }).click();
  await expect(alice.getByRole("dialog").getByRole("status").first()).toHaveText("Copied");
  expect(await alice.evaluate(() => navigator.clipboard.readText())).toBe(link);

  const bobCtx = await browser.newContext();
  const bobTab = await bobCtx.newPage();
  await signUp(bobTab, "Bob");
  const sidebar = bobTab.getByRole("navigation", { name: "Sidebar" });
  await expect(sidebar.getByRole("link", { name: roomName })).toHaveCount(0);
  const bobInvite = await bobCtx.newPage();
  await bobInvite.goto(link);
  await expect(
    bobInvite.getByRole("heading", { name: new RegExp(`^Join 🔒 ${roomName} in `) }),
  ).toBeVisible();
  await bobInvite.getByRole("button", { name: "Join" }).click();
  await bobInvite.waitForURL(`**/rooms/${roomId}`);
  await expect(bobInvite.getByRole("log", { name: `Messages in #${roomName}` })).toBeVisible();
  // The other tab was not reloaded: the room arrives over the socket.
  await expect(sidebar.getByRole("link", { name: roomName })).toBeVisible();

  // Used once of once: the next person is told.
  const carolCtx = await browser.newContext();
  const carol = await carolCtx.newPage();
  await signUp(carol, "Carol");
  await carol.goto(link);
  await expect(carol.getByRole("alert").filter({ hasText: "used as many times as it allows" })).toBeVisible();
});
