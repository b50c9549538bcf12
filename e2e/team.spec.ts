// A team adopts Beacon, in three browser contexts: the owner invites a newcomer with a one-use link
// (they sign up through it and land in the room), promotes a colleague to workspace moderator (their
// open tab grows the moderation controls of a room they do not own, without a reload), the moderator
// removes the newcomer's message and bans them (the newcomer's tab leaves the room at once), and the
// owner deactivates the newcomer (their tab lands on the sign-in page with the reason). The spent
// link says so.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { joinRoom, sendMessage, signUp, uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

async function ownerContext(browser: Browser, base: string) {
  const [name, ...rest] = ownerCookie().split("=");
  const context = await browser.newContext();
  await context.addCookies([{ name: name as string, value: rest.join("="), url: base }]);
  return context;
}

function message(page: Page, text: string) {
  return page.getByTestId("message").filter({ hasText: text });
}

test("invite → join → promote → moderate → ban → deactivate, live in every tab", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const base = baseURL as string;
  const ownerCtx = await ownerContext(browser, base);
  const owner = await ownerCtx.newPage();
  const api = ownerCtx.request;
  const modCtx = await browser.newContext();
  const newCtx = await browser.newContext();
  try {
    // The owner's public room and a one-use member invite into it.
    const roomName = uniqueName("team");
    const created = await api.post("/api/rooms", { data: { name: roomName } });
    expect(created.status()).toBe(201);
    const roomId = (await created.json()).room.id as string;
    const invite = await api.post("/api/invites", {
      data: { kind: "workspace", role: "member", roomIds: [roomId], maxUses: 1, expiresIn: "1d" },
    });
    expect(invite.status()).toBe(201);
    const token = (await invite.json()).invite.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32,64}$/);

    // The newcomer signs up through the link and lands in the room.
    const newcomer = await newCtx.newPage();
    await newcomer.goto(`/invite/${token}`);
    await expect(newcomer.getByRole("heading", { name: /^Join .+ as Member$/ })).toBeVisible();
    const newName = uniqueName("newbie");
    await newcomer.getByLabel("Username").fill(newName);
    await newcomer.getByLabel("Display name").fill("Nia Newcomer");
    await newcomer.getByLabel("Password").fill("correct horse battery");
    await newcomer.getByRole("button", { name: "Sign up" }).click();
    await newcomer.waitForURL(`**/rooms/${roomId}`);
    await sendMessage(newcomer, "hello from the newcomer");

    // A colleague joins the room as a plain member: no moderation controls.
    const mod = await modCtx.newPage();
    const moderator = await signUp(mod, "Mona");
    await joinRoom(mod, roomId);
    await expect(message(mod, "hello from the newcomer")).toBeVisible();
    await expect(mod.getByRole("button", { name: "Room settings" })).toHaveCount(0);

    // The owner makes them a workspace moderator: their open tab shows the controls without a reload.
    await owner.goto(`/admin/users?q=${moderator.username}`);
    await owner.getByLabel(`Role of @${moderator.username}`).selectOption("moderator");
    await expect(mod.getByRole("button", { name: "Room settings" })).toBeVisible({ timeout: 15_000 });

    // The moderator removes the newcomer's message: the placeholder everywhere.
    mod.once("dialog", (d) => void d.accept());
    await message(mod, "hello from the newcomer").hover();
    await message(mod, "hello from the newcomer").getByRole("button", { name: "Delete message" }).click();
    for (const p of [mod, newcomer]) await expect(p.getByText("removed by a moderator")).toBeVisible();

    // …and bans them: the newcomer's open tab leaves the room at once.
    await mod.getByRole("button", { name: /^Members/ }).click();
    mod.once("dialog", (d) => void d.accept());
    await mod.getByRole("button", { name: `Actions for @${newName}` }).click();
    await mod.getByRole("menuitem", { name: "Ban from room" }).click();
    await expect(newcomer.getByRole("alert").filter({ hasText: "You were banned" })).toHaveText(
      `You were banned from #${roomName}`,
    );
    // A ban is not undone by re-adding: the owner cannot put them back.
    const readd = await api.post(`/api/rooms/${roomId}/members`, { data: { username: newName } });
    expect(readd.status()).toBeGreaterThanOrEqual(400);
    expect((await readd.json()).error.message).toMatch(/banned/i);

    // The owner deactivates the newcomer: their tab goes to sign-in with the reason.
    await owner.goto(`/admin/users?q=${newName}`);
    await owner.getByRole("button", { name: `Deactivate @${newName}` }).click();
    await owner
      .getByRole("dialog", { name: `Deactivate @${newName}?` })
      .getByRole("button", { name: "Deactivate" })
      .click();
    await newcomer.waitForURL("**/signin?reason=deactivated", { timeout: 30_000, waitUntil: "commit" });
    await expect(newcomer.getByRole("alert").filter({ hasText: "deactivated" })).toHaveText(
      "Your account was deactivated by an admin.",
    );

    // The audit log has each step; the spent link says so.
    await owner.goto("/admin/audit");
    for (const action of ["invite.create", "user.role", "room.ban", "user.deactivate"])
      await expect(owner.getByRole("table")).toContainText(action);
    const late = await (await browser.newContext()).newPage();
    await late.goto(`/invite/${token}`);
    await expect(
      late.getByRole("alert").filter({ hasText: "already been used as many times as it allows" }),
    ).toBeVisible();
    await expect(late.getByLabel("Username")).toHaveCount(0);
  } finally {
    for (const c of [ownerCtx, modCtx, newCtx]) await c.close();
  }
});
