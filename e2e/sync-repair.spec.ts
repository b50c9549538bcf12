// A retried send stored long ago is answered again (created: false), to its sender only: no other
// tab sees it come back. A window that starts above it must not take it in either way (the web
// client drops such an ack too, lib/messages/timeline.ts): history above it would become unloadable.
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import type { Ack } from "@/lib/realtime/events";
import { createRoom, messageSeqs, scrollToBeginning, signUp, socketFor, uniqueName } from "./helpers";

test("a re-broadcast old message does not punch a hole in scrollback", async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signUp(page, "Gus");
  const roomName = uniqueName("rebroadcast");
  const roomId = await createRoom(page, roomName);
  const socket = await socketFor(ctx, baseURL as string);
  const clientIds: string[] = [];
  const sendAs = async (clientId: string, body: string) =>
    // biome-ignore lint/suspicious/noExplicitAny: typed emitWithAck does not accept a timeout chain generically
    (await (socket.timeout(10_000) as any).emitWithAck("message:send", { roomId, clientId, body })) as Ack<{
      seq: number;
    }>;
  for (let i = 1; i <= 130; i++) {
    const clientId = randomUUID();
    clientIds.push(clientId);
    const ack = await sendAs(clientId, `stored message ${i}`);
    if (!ack.ok) throw new Error(`seed failed: ${ack.error.message}`);
  }

  await page.goto(`/rooms/${roomId}`);
  const log = page.getByRole("log", { name: `Messages in #${roomName}` });
  await expect(log.getByText("stored message 130", { exact: true })).toBeInViewport();
  expect(Math.min(...(await messageSeqs(page)))).toBe(81);

  // A lost ack, a reload, the outbox sends message 20 again: stored already, acked to the sender.
  const again = await sendAs(clientIds[19] as string, "stored message 20");
  expect(again.ok && again.data.seq).toBe(20);
  await page.waitForTimeout(1000);
  expect(await messageSeqs(page)).not.toContain(20);

  await scrollToBeginning(page, roomName);
  expect(await messageSeqs(page)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
  socket.disconnect();
  await ctx.close();
});
