// Long rooms: the page arrives server-rendered, scrolls back to the beginning, and does not yank a
// reader down when new messages arrive.
import { expect, test } from "@playwright/test";
import {
  createRoom,
  messageSeqs,
  scrollToBeginning,
  seedMessages,
  sendMessage,
  signUp,
  socketFor,
  uniqueName,
} from "./helpers";

test("a room with 500 messages opens server-rendered and scrolls back to its beginning", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signUp(page, "Eli");
  const roomName = uniqueName("history");
  const roomId = await createRoom(page, roomName);
  const socket = await socketFor(ctx, baseURL as string);
  await seedMessages(socket, roomId, 500, (i) => `seeded message ${i}`);
  socket.disconnect();

  // The server's HTML already holds the latest 50 messages (no client fetch, no spinner).
  const html = await (await ctx.request.get(`/rooms/${roomId}`)).text();
  expect(html).toContain("seeded message 500");
  expect(html).toContain("seeded message 451");
  expect(html).not.toContain("seeded message 450<");

  await page.goto(`/rooms/${roomId}`);
  const log = page.getByRole("log", { name: `Messages in #${roomName}` });
  await expect(log.getByText("seeded message 500", { exact: true })).toBeInViewport();
  expect(await messageSeqs(page)).toHaveLength(50);

  await scrollToBeginning(page, roomName);
  expect(await messageSeqs(page)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  await ctx.close();
});

test("new messages do not yank a reader out of history; a button jumps down", async ({
  browser,
  baseURL,
}) => {
  const ctxA = await browser.newContext();
  const a = await ctxA.newPage();
  await signUp(a, "Fay");
  const roomName = uniqueName("busy");
  const roomId = await createRoom(a, roomName);
  const socket = await socketFor(ctxA, baseURL as string);
  await seedMessages(socket, roomId, 80, (i) => `older ${i}`);
  await a.reload();
  const log = a.getByRole("log");
  await expect(log.getByText("older 80", { exact: true })).toBeInViewport();

  // At the bottom, new messages keep the reader there.
  await seedMessages(socket, roomId, 1, () => "arrives at bottom");
  await expect(log.getByText("arrives at bottom")).toBeInViewport();

  // Reading history: the view stays put and offers a jump.
  await log.evaluate((el) => {
    el.scrollTop = 200;
  });
  await a.waitForTimeout(300);
  const before = await log.evaluate((el) => el.scrollTop);
  await seedMessages(socket, roomId, 1, () => "arrives while reading");
  const jump = a.getByRole("button", { name: /New messages/ });
  await expect(jump).toBeVisible();
  expect(Math.abs((await log.evaluate((el) => el.scrollTop)) - before)).toBeLessThan(5);
  await jump.click();
  await expect(log.getByText("arrives while reading")).toBeInViewport();
  await expect(jump).toBeHidden();

  // My own message always scrolls me down.
  await log.evaluate((el) => {
    el.scrollTop = 0;
  });
  await sendMessage(a, "my own message");
  await expect(log.getByText("my own message")).toBeInViewport();
  socket.disconnect();
  await ctxA.close();
});
