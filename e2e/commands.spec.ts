// Slash commands in the composer, by keyboard: "/" opens the list of commands, arrows and Enter pick
// one, the command runs (the header shows the new topic; /me renders as an action for everyone),
// unknown commands are errors that keep the text, "//" sends a literal message.
import { createServer } from "node:http";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { embeddedUrl, runningEmbeddedPort } from "@/lib/db/embedded";
import { loadOrCreateSecrets } from "@/lib/secrets";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { E2E_DATA_DIR, E2E_HOOK_PORT } from "../playwright.config";
import { createRoom, joinRoom, signUp, uniqueName } from "./helpers";
import { ensureOwnerRole, ownerCookie } from "./owner";

/** There is no bots screen on this branch: mark an account as a bot in the e2e server's database. */
async function makeBot(username: string): Promise<void> {
  const port = await runningEmbeddedPort(E2E_DATA_DIR);
  if (!port) throw new Error("the e2e server's embedded PostgreSQL is not running");
  const { pgPassword } = await loadOrCreateSecrets(E2E_DATA_DIR);
  const client = new pg.Client({ connectionString: embeddedUrl(pgPassword, port) });
  await client.connect();
  try {
    await client.query(`UPDATE "User" SET "isBot" = true WHERE username = $1`, [username]);
  } finally {
    await client.end();
  }
}

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

test("a custom command: added in the admin console, answered by a bot only to me, then in the room", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(240_000);
  await ensureOwnerRole();
  let secret = "";
  const verified: boolean[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      verified.push(
        verifyWebhook(
          secret,
          {
            id: req.headers["webhook-id"] as string,
            timestamp: req.headers["webhook-timestamp"] as string,
            signature: req.headers["webhook-signature"] as string,
          },
          body,
        ),
      );
      const { text } = JSON.parse(body) as { text: string };
      const loud = text.startsWith("loud ");
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          text: `Sunny in ${loud ? text.slice(5) : text}`,
          visibility: loud ? "room" : "ephemeral",
        }),
      );
    });
  });
  await new Promise<void>((r) => receiver.listen(E2E_HOOK_PORT, "127.0.0.1", r));
  const botCtx = await browser.newContext();
  const anaCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const ownerCtx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const bot = await signUp(await botCtx.newPage(), "Weatherbot");
    await makeBot(bot.username);
    const ana = await anaCtx.newPage();
    await signUp(ana, "Ana");
    await createRoom(ana, uniqueName("wx"));
    const box = ana.getByRole("textbox", { name: "Message" });
    // The bot joins by /invite (the room owner's command).
    await box.pressSequentially(`/invite @${bot.username}`);
    await box.press("Enter");
    await expect(
      ana.getByRole("status").filter({ hasText: `@${bot.username} was added to the room` }),
    ).toBeVisible();

    // The owner adds /weather in the admin console and sees its secret once.
    const [cookieName, ...rest] = ownerCookie().split("=");
    await ownerCtx.addCookies([
      { name: cookieName as string, value: rest.join("="), url: baseURL as string },
    ]);
    const owner = await ownerCtx.newPage();
    await owner.goto("/admin/commands");
    await expect(owner.getByRole("link", { name: "Commands", exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
    const name = uniqueName("wx").slice(0, 20);
    await owner.getByLabel("Command", { exact: true }).fill(name);
    await owner.getByLabel("Bot", { exact: true }).fill("someone-who-is-not-there");
    await owner.getByLabel("URL").fill(`http://127.0.0.1:${E2E_HOOK_PORT}/hook`);
    await owner.getByRole("button", { name: "Add command" }).click();
    await expect(owner.locator("form").getByRole("alert")).toHaveText(
      "No bot named @someone-who-is-not-there",
    );
    await owner.getByLabel("Bot", { exact: true }).fill(bot.username);
    await owner.getByLabel("Usage hint").fill("<city>");
    await owner.getByLabel("Description").fill("Tells the weather");
    await owner.getByRole("button", { name: "Add command" }).click();
    secret = await owner.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_/);
    await expect(owner.getByRole("row").filter({ hasText: `/${name} <city>` })).toContainText(
      `@${bot.username}`,
    );
    await owner.screenshot({ path: "test-results/admin-commands.png" });

    // Ana finds it in the / menu (after a reload: the list is read once per room view).
    await ana.reload();
    await box.pressSequentially(`/${name.slice(0, 4)}`);
    const option = ana
      .getByRole("listbox", { name: "Commands" })
      .getByRole("option", { name: new RegExp(`/${name} <city>`) });
    await expect(option).toContainText("Tells the weather");
    // The only match: arrows wrap around to it.
    await box.press("ArrowDown");
    await box.press("ArrowUp");
    await expect(option).toHaveAttribute("aria-selected", "true");
    await box.press("Tab");
    await expect(box).toHaveValue(`/${name} `);
    await box.pressSequentially("Paris");
    await box.press("Enter");
    const note = ana.getByTestId("ephemeral");
    await expect(note).toContainText("Sunny in Paris");
    await expect(note).toContainText("Only visible to you");
    await expect(ana.getByTestId("message")).toHaveCount(0);
    expect(verified).toEqual([true]);
    await ana.screenshot({ path: "test-results/commands-ephemeral.png" });
    await ana.getByRole("button", { name: `Dismiss the answer of /${name}` }).click();
    await expect(note).toHaveCount(0);

    // A visible answer is a message from the bot.
    await box.pressSequentially(`/${name} loud Oslo`);
    await box.press("Enter");
    await expect(ana.getByTestId("message").filter({ hasText: "Sunny in Oslo" })).toContainText("Weatherbot");
  } finally {
    await botCtx.close();
    await anaCtx.close();
    await ownerCtx.close();
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  }
});
