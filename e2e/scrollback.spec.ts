// Long rooms: the page arrives server-rendered, scrolls back to the beginning, and does not yank a
// reader down when new messages arrive.
import { randomUUID } from "node:crypto";
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

/** A step back smaller than a message's height is frame jitter, not a jump (see ScrollRecord). */
const JUMP_TOLERANCE_PX = 40;

/** What the page records on every frame while the reader wheels up (installed by `recordScrolling`). */
interface ScrollRecord {
  /** Sum of -deltaY of every wheel event so far (px scrolled up asked for). */
  wheel: number;
  /** scrollHeight - scrollTop at the first frame: the view's distance from the end of the content. */
  fromBottom0: number;
  /**
   * Frames where the view moved towards the newest message (a jump back) by more than 1 px. Chromium
   * was seen to step back 20–30 px for one frame, rarely, early in a burst (wheel animation); the old
   * anchoring threw readers back by screens (1,400+ px), and the exact anchor check is anchorMisses.
   */
  jumpsBack: { from: number; to: number; detail: string }[];
  /** Prepends checked: the first visible message's text before the page landed was at the same offset after. */
  anchorChecks: number;
  anchorMisses: { seq: number; before: number; after: number }[];
  /** Seqs of every message seen on screen, frame by frame. */
  seen: number[];
}

/**
 * Records, in the page, on every animation frame: the view's distance from the end of the content
 * (which a prepend under a kept anchor does not change, and only the reader's wheel may grow), the
 * messages on screen, and, on every prepend of older messages with no wheel event since the last
 * frame, whether the first visible message stayed at the same offset (within 1 px).
 */
async function recordScrolling(page: import("@playwright/test").Page): Promise<void> {
  await page.evaluate(() => {
    const log = document.querySelector<HTMLElement>('[role="log"]') as HTMLElement;
    const rec: ScrollRecord = {
      wheel: 0,
      fromBottom0: log.scrollHeight - log.scrollTop,
      jumpsBack: [],
      anchorChecks: 0,
      anchorMisses: [],
      seen: [],
    };
    (window as unknown as { __scroll: ScrollRecord }).__scroll = rec;
    const seen = new Set<number>();
    window.addEventListener("wheel", (e) => (rec.wheel -= e.deltaY), { capture: true, passive: true });
    const items = () => [...log.querySelectorAll<HTMLElement>("[data-seq]")];
    /** Index of the first message whose bottom is below the log's top (binary search: document order). */
    const firstIndex = (els: HTMLElement[], top: number) => {
      let lo = 0;
      let hi = els.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((els[mid] as HTMLElement).getBoundingClientRect().bottom > top) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    /** Where a message's text is (what the reader reads; its author line may come and go above it). */
    const textTop = (el: HTMLElement) =>
      (el.querySelector('[data-testid="message-body"]') ?? el).getBoundingClientRect().top;
    const first = () => {
      const top = log.getBoundingClientRect().top;
      const el = items()[firstIndex(items(), top)];
      return el ? { seq: Number(el.dataset.seq), offset: textTop(el) - top, wheel: rec.wheel } : null;
    };
    let last = first();
    let lastFromBottom = rec.fromBottom0;
    let lastDetail = "";
    let oldest = Number(items()[0]?.dataset.seq);
    new MutationObserver(() => {
      const now = Number(items()[0]?.dataset.seq);
      if (!(now < oldest)) return;
      oldest = now;
      // A page was prepended (this runs after React's commit and its layout effects).
      if (!last || last.wheel !== rec.wheel) return; // the reader also scrolled this frame
      const el = log.querySelector<HTMLElement>(`#m-${last.seq}`);
      const after = el ? textTop(el) - log.getBoundingClientRect().top : Number.NaN;
      rec.anchorChecks++;
      if (!(Math.abs(after - last.offset) <= 1))
        rec.anchorMisses.push({ seq: last.seq, before: last.offset, after });
    }).observe(log, { childList: true, subtree: true });
    const frame = () => {
      const fromBottom = log.scrollHeight - log.scrollTop;
      const detail = `top=${log.scrollTop} height=${log.scrollHeight} client=${log.clientHeight} wheel=${rec.wheel} n=${items().length} first=${items()[0]?.dataset.seq}`;
      if (fromBottom < lastFromBottom - 1)
        rec.jumpsBack.push({ from: lastFromBottom, to: fromBottom, detail: `${lastDetail} -> ${detail}` });
      lastFromBottom = fromBottom;
      lastDetail = detail;
      last = first();
      const top = log.getBoundingClientRect().top;
      const bottom = top + log.clientHeight;
      const els = items();
      for (let i = firstIndex(els, top); i < els.length; i++) {
        const el = els[i] as HTMLElement;
        if (el.getBoundingClientRect().top >= bottom) break;
        const seq = Number(el.dataset.seq);
        if (!seen.has(seq)) {
          seen.add(seq);
          rec.seen.push(seq);
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

test("wheeling up a 1,000-message room in big ticks never skips a message and never moves the anchor", async ({
  browser,
  baseURL,
}, testInfo) => {
  test.setTimeout(360_000);
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await signUp(page, "Wheeler");
  const roomName = uniqueName("wheel");
  const roomId = await createRoom(page, roomName);
  const socket = await socketFor(ctx, baseURL as string);
  // 1,000 messages, 100 sends in flight at a time (the server stores each batch in one statement).
  for (let from = 1; from <= 1000; from += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        // biome-ignore lint/suspicious/noExplicitAny: typed emitWithAck does not accept a timeout chain generically
        (socket.timeout(20_000) as any).emitWithAck("message:send", {
          roomId,
          clientId: randomUUID(),
          body: `wheel message ${from + i}`,
        }),
      ),
    );
  }
  socket.disconnect();

  // Count older-page requests on the page's own socket: `42<id>["message:list",{…"before"…}]` out,
  // `43<id>[…]` back.
  const inFlight = new Set<string>();
  let maxInFlight = 0;
  let olderRequests = 0;
  page.on("websocket", (ws) => {
    ws.on("framesent", ({ payload }) => {
      const m = /^42(\d+)\["message:list",(.*)\]$/s.exec(String(payload));
      if (!m || !(JSON.parse(m[2] as string) as { before?: number }).before) return;
      inFlight.add(m[1] as string);
      olderRequests++;
      maxInFlight = Math.max(maxInFlight, inFlight.size);
    });
    ws.on("framereceived", ({ payload }) => {
      const m = /^43(\d+)\[/.exec(String(payload));
      if (m) inFlight.delete(m[1] as string);
    });
  });

  await page.goto(`/rooms/${roomId}`);
  const log = page.getByRole("log", { name: `Messages in #${roomName}` });
  const newestMessage = page.locator("#m-1000");
  await expect(newestMessage).toBeInViewport();
  const jump = page.getByRole("button", { name: "Jump to latest" });
  await expect(jump).toBeHidden();
  await recordScrolling(page);
  const box = (await log.boundingBox()) as { x: number; y: number; width: number; height: number };
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);

  const record = () => page.evaluate(() => (window as unknown as { __scroll: ScrollRecord }).__scroll);
  /** Waits until no older page is in flight and the view has stopped moving. */
  async function settle() {
    let prev = -1;
    for (let i = 0; i < 100; i++) {
      await page.waitForTimeout(120);
      const top = await log.evaluate((el) => el.scrollTop);
      if (inFlight.size === 0 && top === prev) return;
      prev = top;
    }
    throw new Error("the view never settled");
  }
  /** After every burst: the rendered messages are one run of seqs ending at 1000, nothing skipped. */
  async function checkContiguous() {
    const seqs = await messageSeqs(page);
    expect(seqs.at(-1)).toBe(1000);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 1000 - seqs.length + 1 + i));
    const r = await record();
    if (r.jumpsBack.length > 0)
      test.info().annotations.push({ type: "small steps back", description: JSON.stringify(r.jumpsBack) });
    expect(r.jumpsBack.filter((j) => j.from - j.to > JUMP_TOLERANCE_PX)).toEqual([]);
    expect(r.anchorMisses).toEqual([]);
    // The view moved up by no more than the wheel asked (a skip would move it a page further). Once
    // in 7 loaded runs it was 32 px more with the anchor check passing (something above the view
    // settling after the first frame): reported, and failed only beyond JUMP_TOLERANCE_PX.
    const fromBottom = await log.evaluate((el) => el.scrollHeight - el.scrollTop);
    const extra = fromBottom - r.fromBottom0 - r.wheel;
    if (extra > 1)
      test.info().annotations.push({ type: "moved beyond the wheel", description: `${extra} px` });
    expect(extra).toBeLessThanOrEqual(JUMP_TOLERANCE_PX);
    expect(maxInFlight).toBeLessThanOrEqual(1);
  }
  const beginning = page.getByText(`This is the beginning of #${roomName}`);
  /** Bursts of four ticks 40 ms apart (a fast hand on a wheel), then a check. */
  async function wheel(delta: number, bursts: number) {
    for (let b = 0; b < bursts && !(await beginning.isVisible()); b++) {
      for (let i = 0; i < 4; i++) {
        await page.mouse.wheel(0, -delta);
        await page.waitForTimeout(40);
      }
      await settle();
      await checkContiguous();
    }
  }

  await wheel(300, 8);
  await page.screenshot({ path: testInfo.outputPath("mid-scrollback.png") });
  await wheel(500, 8);
  // Ticks no bigger than the view overlap: every message between was on screen at some frame.
  const seenSmall = [...(await record()).seen].sort((a, b) => a - b);
  expect(seenSmall.length).toBeGreaterThan(200);
  expect(seenSmall).toEqual(Array.from({ length: seenSmall.length }, (_, i) => (seenSmall[0] as number) + i));
  expect(seenSmall.at(-1)).toBe(1000);
  await wheel(1200, 40);
  await expect(beginning).toBeVisible();
  await settle();
  await checkContiguous();
  expect(await messageSeqs(page)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  const r = await record();
  expect(olderRequests).toBe(19); // pages of 50 down from the server-rendered 951..1000, one each
  expect(r.anchorChecks).toBeGreaterThanOrEqual(5);

  // Everything is loaded and the view is far above the newest message: a jump is offered.
  await expect(jump).toBeVisible();
  await jump.click();
  await expect(newestMessage).toBeInViewport();
  await expect(jump).toBeHidden();
  await expect(log).toBeFocused();
  await ctx.close();
});
