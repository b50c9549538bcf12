// Slash commands in the composer, by keyboard: "/" opens the list of commands, arrows and Enter pick
// one, the command runs (the header shows the new topic; /me renders as an action for everyone),
// unknown commands are errors that keep the text, "//" sends a literal message.
import { expect, test } from "@playwright/test";
import { createRoom, joinRoom, signUp, uniqueName } from "./helpers";

test("commands from the composer: autocomplete, /topic, /me, unknown, // escape", async ({ browser }) => {
  const anaCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const boCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const ana = await anaCtx.newPage();
    const bo = await boCtx.newPage();
    await signUp(ana, "Ana");
    await signUp(bo, "Bo");
    const name = uniqueName("cmd");
    const roomId = await createRoom(ana, name);
    await joinRoom(bo, roomId);

    const box = ana.getByRole("textbox", { name: "Message" });
    await box.click();
    await box.pressSequentially("/");
    const menu = ana.getByRole("listbox", { name: "Commands" });
    await expect(menu).toBeVisible();
    await expect(menu.getByRole("option")).toHaveCount(5);
    await box.pressSequentially("to");
    await expect(menu.getByRole("option")).toHaveCount(1);
    const topic = menu.getByRole("option", { name: /\/topic <text>/ });
    await expect(topic).toHaveAttribute("aria-selected", "true");
    await expect(box).toHaveAttribute("aria-activedescendant", "command-option-topic");
    await box.press("Enter");
    await expect(box).toHaveValue("/topic ");
    await expect(menu).toBeHidden();
    await box.pressSequentially("Launch week");
    await box.press("Enter");
    await expect(box).toHaveValue("");
    await expect(ana.getByRole("status").filter({ hasText: "Topic set to “Launch week”" })).toBeVisible();
    // Both headers follow (room:updated).
    for (const p of [ana, bo]) await expect(p.locator("header").getByText("Launch week")).toBeVisible();

    // Arrow keys and Esc: "/" then ↓ twice picks the third command; Esc closes the list.
    await box.pressSequentially("/");
    await box.press("ArrowDown");
    await box.press("ArrowDown");
    await expect(menu.getByRole("option", { name: /\/invite @user/ })).toHaveAttribute(
      "aria-selected",
      "true",
    );
    await box.press("Escape");
    await expect(menu).toBeHidden();
    await box.press("Backspace");

    // /me: an action, in italics, with the author's name, for everyone in the room.
    await box.pressSequentially("/me waves hello");
    await box.press("Enter");
    for (const p of [ana, bo]) {
      const action = p.locator('[data-testid="message-body"][data-kind="action"]');
      await expect(action).toHaveText("Ana waves hello");
      await expect(action).toHaveCSS("font-style", "italic");
    }

    // Unknown command: a readable error, the text stays, nothing is sent.
    await box.pressSequentially("/frobnicate now");
    await box.press("Enter");
    await expect(ana.locator("form").getByRole("alert")).toHaveText(
      "Unknown command /frobnicate — type / to see the list",
    );
    await expect(box).toHaveValue("/frobnicate now");
    await box.fill("");

    // "//" sends the literal text.
    await box.pressSequentially("//shrug is not a command");
    await box.press("Enter");
    await expect(bo.getByTestId("message-body").last()).toHaveText("/shrug is not a command");
    await expect(ana.getByTestId("message")).toHaveCount(2);
    await ana.screenshot({ path: "test-results/commands-room.png" });
  } finally {
    await anaCtx.close();
    await boCtx.close();
  }
});
