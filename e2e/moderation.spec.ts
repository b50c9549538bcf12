// Room moderation in three browser contexts: a moderator (the room's owner) and two members. Every
// change reaches the others' open tabs live: rename/topic, announcement (composer off), pins,
// moderator deletes, slow mode, a ban (the banned tab leaves at once and cannot rejoin), archive.
import { type Browser, expect, type Page, test } from "@playwright/test";
import { createRoom, joinRoom, sendMessage, signUp, uniqueName } from "./helpers";

async function person(browser: Browser, name: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return { context, page, ...(await signUp(page, name)) };
}

async function openSettings(page: Page) {
  await page.getByRole("button", { name: "Room settings" }).click();
  await expect(page.getByRole("dialog", { name: "Room settings" })).toBeVisible();
  return page.getByRole("dialog", { name: "Room settings" });
}

async function saveSettings(page: Page) {
  const dialog = page.getByRole("dialog", { name: "Room settings" });
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("status")).toHaveText("Settings saved");
}

function message(page: Page, text: string) {
  return page.getByTestId("message").filter({ hasText: text });
}

test("a moderator moderates a room live across three contexts", async ({ browser }) => {
  test.setTimeout(420_000);
  const mod = await person(browser, "Mo");
  const bo = await person(browser, "Bo");
  const cy = await person(browser, "Cy");
  try {
    const name = uniqueName("mod");
    const roomId = await createRoom(mod.page, name);
    await joinRoom(bo.page, roomId);
    await joinRoom(cy.page, roomId);
    // Members see no moderation controls.
    await expect(bo.page.getByRole("button", { name: "Room settings" })).toHaveCount(0);

    // Rename and topic: the others' headers follow without a reload.
    const renamed = uniqueName("ren");
    let dialog = await openSettings(mod.page);
    await dialog.getByLabel("Name").fill(renamed);
    await dialog.getByLabel("Topic").fill("Quarterly planning");
    await saveSettings(mod.page);
    await mod.page.screenshot({ path: "/tmp/room-settings-desktop.png" });
    await dialog.getByRole("button", { name: "Close" }).click();
    for (const p of [bo.page, cy.page]) {
      await expect(p.getByRole("heading", { level: 1 })).toContainText(renamed);
      await expect(p.getByText("Quarterly planning").first()).toBeVisible();
      await expect(p.getByRole("link", { name: new RegExp(renamed) })).toBeVisible(); // sidebar
    }

    // Announcement room: members' composers switch off live; the moderator still posts.
    dialog = await openSettings(mod.page);
    await dialog.getByLabel("Announcement room (only moderators post)").check();
    await saveSettings(mod.page);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(bo.page.getByText("Only moderators can post in this announcement room")).toBeVisible();
    await expect(bo.page.getByRole("textbox", { name: "Message" })).toHaveCount(0);
    await bo.page.screenshot({ path: "/tmp/read-only-desktop.png" });
    await sendMessage(mod.page, "Announcement from the moderator");
    await expect(message(bo.page, "Announcement from the moderator")).toBeVisible();
    dialog = await openSettings(mod.page);
    await dialog.getByLabel("Announcement room (only moderators post)").uncheck();
    await saveSettings(mod.page);
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(bo.page.getByRole("textbox", { name: "Message" })).toBeVisible();

    // Pins: the Pinned list updates live in the other tabs.
    await sendMessage(bo.page, "Please pin me");
    await expect(message(mod.page, "Please pin me")).toBeVisible();
    await expect(cy.page.getByRole("button", { name: "Pinned (0)" })).toBeVisible();
    await message(mod.page, "Please pin me").hover();
    await message(mod.page, "Please pin me").getByRole("button", { name: "Pin message" }).click();
    await expect(cy.page.getByRole("button", { name: "Pinned (1)" })).toBeVisible();
    await expect(mod.page.getByRole("button", { name: "Pinned (1)" })).toBeVisible();
    await cy.page.getByRole("button", { name: "Pinned (1)" }).click();
    await expect(cy.page.getByRole("region", { name: "Pinned messages" })).toContainText("Please pin me");
    await cy.page.getByRole("button", { name: /^Jump to message/ }).click();

    // A moderator deletes a member's message: "removed by a moderator" everywhere.
    await sendMessage(bo.page, "Something rude");
    await expect(message(mod.page, "Something rude")).toBeVisible();
    mod.page.once("dialog", (d) => void d.accept());
    await message(mod.page, "Something rude").hover();
    await message(mod.page, "Something rude").getByRole("button", { name: "Delete message" }).click();
    for (const p of [mod.page, bo.page, cy.page])
      await expect(p.getByText("removed by a moderator")).toBeVisible();

    // Slow mode: a second send within N seconds says when it may go.
    dialog = await openSettings(mod.page);
    await dialog.getByLabel("Slow mode").selectOption("30");
    await saveSettings(mod.page);
    await dialog.getByRole("button", { name: "Close" }).click();
    await sendMessage(bo.page, "first under slow mode");
    await expect(message(cy.page, "first under slow mode")).toBeVisible();
    await sendMessage(bo.page, "second under slow mode");
    await expect(bo.page.getByText(/Slow mode: you can send again in \d+ s/)).toBeVisible();
    await sendMessage(mod.page, "moderators are exempt");
    await sendMessage(mod.page, "still exempt");
    await expect(message(cy.page, "still exempt")).toBeVisible();

    // Ban: the member's open tab leaves the room at once, and they cannot rejoin.
    await mod.page.getByRole("button", { name: /^Members/ }).click();
    mod.page.once("dialog", (d) => void d.accept());
    await mod.page.getByRole("button", { name: `Actions for @${cy.username}` }).click();
    await mod.page.getByRole("menuitem", { name: "Ban from room" }).click();
    await expect(cy.page.getByRole("alert").filter({ hasText: "You were banned" })).toHaveText(
      `You were banned from #${renamed}`,
    );
    await expect(cy.page.getByRole("log")).toHaveCount(0);
    // Nor read it: the room is not there for them any more (history, live events and files alike).
    await cy.page.goto(`/rooms/${roomId}`);
    await expect(cy.page.getByRole("heading", { name: "Not found" })).toBeVisible();
    const join = await cy.context.request.post(`/api/rooms/${roomId}/join`);
    expect(join.status()).toBe(404);

    // Archive: hidden from Browse, composer off for everyone, shown as archived.
    dialog = await openSettings(mod.page);
    await dialog.getByRole("button", { name: "Archive room" }).click();
    await expect(dialog.getByRole("button", { name: "Unarchive room" })).toBeVisible();
    await dialog.getByRole("button", { name: "Close" }).click();
    for (const p of [mod.page, bo.page]) {
      await expect(p.getByText("This room is archived")).toBeVisible();
      await expect(p.getByRole("textbox", { name: "Message" })).toHaveCount(0);
    }
    await expect(bo.page.getByTestId("archived-badge")).toBeVisible();
    await cy.page.goto(`/browse?q=${renamed}`);
    await expect(cy.page.getByText(`No public rooms match “${renamed}”.`)).toBeVisible();
  } finally {
    for (const p of [mod, bo, cy]) await p.context.close();
  }
});

test("room settings dialog and a read-only room at phone width", async ({ browser }) => {
  test.setTimeout(240_000);
  const phone = { width: 390, height: 844 };
  const mod = await person(browser, "Pm", phone);
  const bo = await person(browser, "Pb", phone);
  try {
    const name = uniqueName("phone");
    // At phone width the sidebar is a drawer: create through the API, then open the room.
    const res = await mod.page.request.post("/api/rooms", { data: { name, topic: "On the go" } });
    const roomId = ((await res.json()) as { room: { id: string } }).room.id;
    await mod.page.goto(`/rooms/${roomId}`);
    await joinRoom(bo.page, roomId);
    const dialog = await openSettings(mod.page);
    await dialog.getByLabel("Announcement room (only moderators post)").check();
    await saveSettings(mod.page);
    await mod.page.screenshot({ path: "/tmp/room-settings-phone.png" });
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(bo.page.getByText("Only moderators can post in this announcement room")).toBeVisible();
    await bo.page.screenshot({ path: "/tmp/read-only-phone.png" });
  } finally {
    for (const p of [mod, bo]) await p.context.close();
  }
});
