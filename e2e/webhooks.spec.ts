// Webhooks end to end (issue 18, items 4–5) against the production build: the owner creates an
// incoming hook in the admin console (by labels); a curl-style POST of a Slack payload (no cookies,
// no Origin) appears live in an open room tab with its attachment card; revoked, the URL is a 404.
// An outgoing hook to a receiver started here (127.0.0.1 is in the server's WEBHOOK_ALLOW_HOSTS,
// playwright.config.ts) gets signed events it verifies, answers with a reply that appears live,
// survives being down for a while (retried with the same webhook-id, delivered once; the downtime is
// scaled, 5 s with WEBHOOK_RETRY_BASE_MS=400, instead of a minute) and shows in the delivery log; a
// hook to a private address that is not allowed is refused with a readable error.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { sendMessage, uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

test.describe.configure({ timeout: 120_000 });

async function ownerPage(browser: Browser, base: string): Promise<Page> {
  const [name, ...rest] = ownerCookie().split("=");
  const context = await browser.newContext();
  await context.addCookies([{ name: name as string, value: rest.join("="), url: base }]);
  return context.newPage();
}

interface Hit {
  id: string;
  verified: boolean;
  event: { data?: { message?: { text?: string } } };
}

test("incoming Slack payload appears live; outgoing hook is signed, replies, survives downtime; private URLs refused", async ({
  browser,
  playwright,
  baseURL,
}) => {
  const base = baseURL as string;
  const admin = await ownerPage(browser, base);
  const api = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { cookie: ownerCookie() },
  });
  const roomName = uniqueName("hooks");
  const created = await api.post("/api/rooms", { data: { name: roomName } });
  expect(created.status()).toBe(201);
  const roomId = (await created.json()).room.id as string;

  // The room, open in its own tab.
  const room = await admin.context().newPage();
  await room.goto(`/rooms/${roomId}`);
  await expect(room.getByRole("log", { name: `Messages in #${roomName}` })).toBeVisible();

  // ── incoming ──
  await admin.goto("/admin/integrations");
  await admin.getByLabel("Room", { exact: true }).selectOption(roomId);
  await admin.getByLabel("Incoming webhook name").fill("Deploys");
  await admin.getByRole("button", { name: "Create incoming webhook" }).click();
  const url = await admin.getByRole("textbox", { name: "Webhook URL" }).inputValue();
  expect(url).toMatch(/\/hooks\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{32}$/);
  await expect(admin.getByRole("button", { name: "Copy URL" })).toBeVisible();

  const outside = await playwright.request.newContext(); // like curl: no cookies, no Origin
  const payload = {
    text: "Deploy of *api* finished",
    username: "CI Bot",
    icon_emoji: ":rocket:",
    attachments: [
      {
        fallback: "Build 42 passed",
        color: "good",
        title: "Build 42",
        title_link: "https://ci.example/42",
        text: "All checks green",
        fields: [
          { title: "Branch", value: "main", short: true },
          { title: "Duration", value: "3 min", short: true },
        ],
      },
    ],
  };
  const posted = await outside.post(url, { form: { payload: JSON.stringify(payload) } });
  expect(posted.status()).toBe(201);
  const msg = room.getByRole("listitem", { name: /^CI Bot: Deploy of/ });
  await expect(msg).toBeVisible();
  await expect(msg.getByTestId("hook-author")).toContainText("via Deploys");
  await expect(msg.getByRole("img", { name: "CI Bot icon" })).toHaveText("🚀");
  await expect(msg.locator("strong")).toHaveText("api");
  const card = msg.getByRole("listitem", { name: "Build 42" });
  await expect(card.getByRole("link", { name: "Build 42" })).toHaveAttribute("href", "https://ci.example/42");
  await expect(card).toContainText("All checks green");
  await expect(card.getByRole("definition").first()).toHaveText("main");
  await expect(card.getByText("Branch")).toBeVisible();

  // A bad payload names the field; a revoked URL is a 404.
  const bad = await outside.post(url, { data: { text: 42 } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toMatchObject({
    code: "bad_request",
    message: expect.stringMatching(/^text: /),
  });
  await admin.getByRole("button", { name: "Revoke Deploys" }).click();
  await expect(admin.getByRole("row", { name: /Deploys/ })).toContainText("Revoked");
  expect((await outside.post(url, { data: { text: "after revoke" } })).status()).toBe(404);

  // ── outgoing ──
  const hits: Hit[] = [];
  let secret = "";
  let down = false;
  const receiver: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      if (down) return req.socket.destroy();
      const verified = verifyWebhook(
        secret,
        {
          id: req.headers["webhook-id"] as string,
          timestamp: req.headers["webhook-timestamp"] as string,
          signature: req.headers["webhook-signature"] as string,
        },
        body,
      );
      const event = JSON.parse(body) as Hit["event"];
      hits.push({ id: String(req.headers["webhook-id"]), verified, event });
      if (!verified) return res.writeHead(401).end();
      const text = event.data?.message?.text ?? "";
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(text.includes("reply") ? JSON.stringify({ text: "Deploying now, boss" }) : "");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const port = (receiver.address() as AddressInfo).port;
  try {
    // A private address that is not allowed: refused with a readable error.
    await admin.getByLabel("Outgoing webhook name").fill("Metadata");
    await admin.getByLabel("Receiver URL").fill("http://169.254.169.254/latest/meta-data");
    await admin.getByLabel("Rooms to watch").selectOption([roomId]);
    await admin.getByRole("button", { name: "Create outgoing webhook" }).click();
    await expect(
      admin.getByRole("alert").filter({ hasText: "Private, loopback and link-local addresses are refused" }),
    ).toBeVisible();
    await admin.getByLabel("Receiver URL").fill("http://10.0.0.1/hook");
    await admin.getByRole("button", { name: "Create outgoing webhook" }).click();
    await expect(
      admin.getByRole("alert").filter({ hasText: "Private, loopback and link-local addresses are refused" }),
    ).toBeVisible();

    await expect(admin.getByRole("button", { name: "Delete Metadata" })).toHaveCount(0);

    await admin.getByLabel("Outgoing webhook name").fill("Deploy bot");
    await admin.getByLabel("Receiver URL").fill(`http://127.0.0.1:${port}/beacon`);
    await admin.getByLabel("Rooms to watch").selectOption([roomId]);
    await admin.getByLabel("Trigger words (optional)").fill("!deploy");
    await admin.getByRole("button", { name: "Create outgoing webhook" }).click();
    secret = await admin.getByRole("textbox", { name: "Signing secret" }).inputValue();
    expect(secret).toMatch(/^whsec_/);

    await sendMessage(room, "just chatting");
    await sendMessage(room, "!deploy api please reply");
    await expect(room.getByRole("listitem", { name: /^Deploy bot: Deploying now, boss/ })).toBeVisible();
    expect(hits).toHaveLength(1);
    expect(hits[0]?.verified).toBe(true);
    expect(hits[0]?.event.data?.message?.text).toBe("!deploy api please reply");

    // Down for 5 s: refused connections, retried with the same webhook-id; then up, delivered once.
    down = true;
    await sendMessage(room, "!deploy while down");
    await expect(room.getByRole("listitem", { name: /while down/ })).toBeVisible();
    await admin.waitForTimeout(5000);
    expect(hits).toHaveLength(1);
    down = false;
    await expect.poll(() => hits.length, { timeout: 30_000 }).toBe(2);
    const second = hits[1];
    expect(second?.verified).toBe(true);
    expect(second?.event.data?.message?.text).toBe("!deploy while down");
    await admin.waitForTimeout(1500);
    expect(hits.filter((h) => h.id === second?.id)).toHaveLength(1);

    await admin.getByRole("button", { name: "Delivery log of Deploy bot" }).click();
    const rows = admin.getByTestId("delivery");
    await expect(rows).toHaveCount(2);
    const downRow = rows.filter({ hasText: second?.id ?? "" });
    await expect(downRow).toContainText("delivered");
    await expect(downRow).toContainText("200");
    const attempts = Number(await downRow.getByRole("cell").nth(2).textContent());
    expect(attempts).toBeGreaterThanOrEqual(2);
    await admin.getByRole("button", { name: "Delete Deploy bot" }).click();
    await expect(admin.getByRole("button", { name: "Delete Deploy bot" })).toHaveCount(0);
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});
