// Shared steps for the browser tests: real sign-up through the UI, real sockets for seeding.
import { randomUUID } from "node:crypto";
import { type BrowserContext, expect, type Page } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";

let counter = 0;
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1000)}`.slice(0, 32);
}

export async function signUp(
  page: Page,
  displayName: string,
): Promise<{ username: string; password: string }> {
  const username = uniqueName(
    displayName
      .toLowerCase()
      .replace(/[^a-z]/g, "")
      .slice(0, 8) || "user",
  );
  const password = "correct horse battery";
  await page.goto("/signup");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Display name").fill(displayName);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.waitForURL("**/rooms");
  return { username, password };
}

export async function createRoom(
  page: Page,
  name: string,
  opts: { topic?: string; isPrivate?: boolean } = {},
) {
  await page.getByRole("button", { name: "New room" }).click();
  await page.getByLabel("Room name").fill(name);
  if (opts.topic) await page.getByLabel(/Topic/).fill(opts.topic);
  if (opts.isPrivate) await page.getByLabel(/Private/).check();
  await page.getByRole("button", { name: "Create room" }).click();
  await page.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("log", { name: `Messages in #${name}` })).toBeVisible();
  return page.url().split("/rooms/")[1] as string;
}

export async function sendMessage(page: Page, text: string) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

/** Bodies of confirmed messages, in displayed order. */
export async function messageBodies(page: Page): Promise<string[]> {
  return page.getByTestId("message-body").allInnerTexts();
}

export async function messageSeqs(page: Page): Promise<number[]> {
  return page.getByTestId("message").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-seq"))));
}

/** A real Socket.IO client carrying the browser context's session cookie. */
export async function socketFor(
  context: BrowserContext,
  baseURL: string,
): Promise<Socket<ServerToClientEvents, ClientToServerEvents>> {
  const cookies = await context.cookies(baseURL);
  const header = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseURL, {
    transports: ["websocket"],
    extraHeaders: { cookie: header },
    reconnection: false,
  });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}

export async function seedMessages(
  s: Socket<ServerToClientEvents, ClientToServerEvents>,
  roomId: string,
  count: number,
  text: (i: number) => string,
): Promise<void> {
  for (let i = 1; i <= count; i++) {
    // biome-ignore lint/suspicious/noExplicitAny: typed emitWithAck does not accept a timeout chain generically
    const ack = (await (s.timeout(10_000) as any).emitWithAck("message:send", {
      roomId,
      clientId: randomUUID(),
      body: text(i),
    })) as Ack<unknown>;
    if (!ack.ok) throw new Error(`seed failed: ${ack.error.message}`);
  }
}

/** Scrolls a room's message log up, page by page as older history loads, until its beginning shows. */
export async function scrollToBeginning(page: Page, roomName: string): Promise<void> {
  const log = page.getByRole("log", { name: `Messages in #${roomName}` });
  const beginning = page.getByText(`This is the beginning of #${roomName}`);
  for (let i = 0; i < 30 && !(await beginning.isVisible()); i++) {
    await log.evaluate((el) => {
      el.scrollTop = 0;
    });
    await page.waitForTimeout(250);
  }
  await expect(beginning).toBeVisible();
}

/** Opens a public room and joins it; resolves once the composer shows (membership is live). */
export async function joinRoom(page: Page, roomId: string): Promise<void> {
  await page.goto(`/rooms/${roomId}`);
  await page.getByRole("button", { name: "Join room" }).click();
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
}
