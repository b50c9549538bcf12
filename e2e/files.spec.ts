// Files, images and avatars in the browser: attach by button, drop and paste; an image arrives live
// in the other person's tab as a thumbnail whose box is reserved before it loads; the lightbox walks
// the images by keyboard; SVG and HTML are download cards that are never rendered; a too-large file
// is refused with the server's words; cancel and retry; profile pictures and initials.
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createRoom, joinRoom, sendMessage, uniqueName } from "./helpers";

// --- test files made here (no binary fixtures in the repo) ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real PNG: diagonal stripes of two colours, so screenshots show something. */
function png(w: number, h: number, a: [number, number, number], b: [number, number, number]): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const c = Math.floor((x + y) / 40) % 2 === 0 ? a : b;
      raw.set(c, y * (w * 3 + 1) + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const RED = png(640, 480, [220, 38, 38], [254, 202, 202]);
const GREEN = png(400, 600, [22, 163, 74], [187, 247, 208]);
const BLUE = png(800, 200, [37, 99, 235], [191, 219, 254]);
const EVIL_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>window.__pwned=1;alert("svg")</script><rect width="10" height="10"/></svg>',
);
const EVIL_HTML = Buffer.from(
  "<!doctype html><title>x</title><script>window.__pwned=1;alert('html')</script><h1>hi</h1>",
);

// Uploads, image processing and two people per test: slow on a shared machine.
test.describe.configure({ timeout: 180_000 });

const pngFile = (name: string, buffer: Buffer) => ({ name, mimeType: "image/png", buffer });

async function attach(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  await page.getByTestId("file-input").setInputFiles(files);
}

/** Waits until every chip is stored, then sends (with `text`, or files alone). */
async function sendWhenStored(page: Page, count: number, text = "") {
  const chips = page.getByTestId("upload-chip");
  await expect(chips).toHaveCount(count);
  await expect(page.locator('[data-testid="upload-chip"][data-status="stored"]')).toHaveCount(count, {
    timeout: 20_000,
  });
  const box = page.getByRole("textbox", { name: "Message" });
  if (text) await box.fill(text);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(chips).toHaveCount(0);
}

/** Puts files into the page's DataTransfer (window.__dt), built from bytes sent from the test. */
async function dataTransfer(page: Page, files: { name: string; type: string; buffer: Buffer }[]) {
  await page.evaluate(
    (list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bytes = Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      (window as unknown as { __dt: DataTransfer }).__dt = dt;
    },
    files.map((f) => ({ name: f.name, type: f.type, b64: f.buffer.toString("base64") })),
  );
}

test("attach by button, drop and paste; images arrive live with their size reserved; the lightbox walks them", async ({
  pair,
}) => {
  const [{ page: a }, { page: b }] = pair;
  const roomName = uniqueName("pics");
  const roomId = await createRoom(a, roomName);
  await joinRoom(b, roomId);

  // Bo's thumbnails are held back until released: the box must be there before the bytes.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  await b.route(/\/api\/files\/[^/?]+\?size=thumb/, async (route) => {
    await held;
    await route.continue();
  });

  // 1. The "Attach files" button (its hidden input), with text.
  await expect(a.getByRole("button", { name: "Attach files" })).toBeEnabled();
  await attach(a, [pngFile("red.png", RED)]);
  const bar = a.getByRole("progressbar", { name: "Upload of red.png" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 20_000 });
  await sendWhenStored(a, 1, "look at this");

  const redB = b.getByRole("log").getByRole("img", { name: "red.png" });
  await expect(redB).toBeVisible();
  await expect(redB).toHaveAttribute("width", "320");
  await expect(redB).toHaveAttribute("height", "240");
  expect(await redB.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(false);
  const reserved = await redB.boundingBox();
  expect(reserved?.height).toBeGreaterThan(200); // the box is there before the picture
  release();
  await expect.poll(() => redB.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect((await redB.boundingBox())?.height).toBeCloseTo(reserved?.height ?? 0, 0); // and nothing jumped
  await expect(b.getByRole("log")).toContainText("look at this");

  // 2. Drag and drop onto the room: the overlay shows while dragging; files alone, no text.
  await dataTransfer(a, [{ name: "green.png", type: "image/png", buffer: GREEN }]);
  const zone = a.getByTestId("room-drop-zone");
  await zone.dispatchEvent("dragenter", {
    dataTransfer: await a.evaluateHandle(() => (window as unknown as { __dt: DataTransfer }).__dt),
  });
  await expect(a.getByText("Drop files to upload")).toBeVisible();
  await zone.dispatchEvent("drop", {
    dataTransfer: await a.evaluateHandle(() => (window as unknown as { __dt: DataTransfer }).__dt),
  });
  await expect(a.getByText("Drop files to upload")).toHaveCount(0);
  await sendWhenStored(a, 1);
  await expect(b.getByRole("log").getByRole("img", { name: "green.png" })).toBeVisible();

  // 3. Paste a screenshot into the composer: it gets a name that says what it is.
  await dataTransfer(a, [{ name: "image.png", type: "image/png", buffer: BLUE }]);
  await a.getByRole("textbox", { name: "Message" }).evaluate((el) => {
    el.dispatchEvent(
      new ClipboardEvent("paste", {
        bubbles: true,
        cancelable: true,
        clipboardData: (window as unknown as { __dt: DataTransfer }).__dt,
      }),
    );
  });
  await expect(a.getByTestId("upload-chip")).toContainText("Pasted image");
  await expect(a.getByRole("textbox", { name: "Message" })).toHaveValue(""); // not pasted as text
  await sendWhenStored(a, 1, "and a screenshot");
  const pasted = b.getByRole("log").getByRole("img", { name: /^Pasted image .*\.png$/ });
  await expect(pasted).toBeVisible();
  await expect(pasted).toHaveAttribute("width", "320");
  await expect(pasted).toHaveAttribute("height", "80");

  // The lightbox: open, ← / → between the images of the loaded messages, Esc closes, focus returns.
  await b.getByRole("button", { name: "green.png" }).click();
  const dialog = b.getByRole("dialog");
  await expect(dialog).toHaveAccessibleName("green.png");
  await expect(dialog.getByRole("img", { name: "green.png" })).toHaveAttribute("src", /size=preview/);
  await expect(dialog.getByRole("link", { name: "Download" })).toHaveAttribute("href", /download=1/);
  await b.keyboard.press("ArrowRight");
  await expect(dialog).toHaveAccessibleName(/^Pasted image/);
  await b.keyboard.press("ArrowRight"); // the last one: stays
  await expect(dialog).toHaveAccessibleName(/^Pasted image/);
  await b.keyboard.press("ArrowLeft");
  await b.keyboard.press("ArrowLeft");
  await expect(dialog).toHaveAccessibleName("red.png");
  await b.keyboard.press("Escape");
  await expect(b.getByRole("dialog")).toHaveCount(0);
  await expect(b.getByRole("button", { name: "green.png" })).toBeFocused();
  // The close button closes too.
  await b.getByRole("button", { name: "red.png" }).click();
  await b.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  await expect(b.getByRole("dialog")).toHaveCount(0);

  // Everything is still there after a reload (stored, not just live).
  await b.unroute(/\/api\/files\//);
  await b.reload();
  await expect(b.getByRole("log").getByRole("img")).toHaveCount(3);
});

test("SVG and HTML are download cards, never rendered; the file route says attachment", async ({ pair }) => {
  const [{ page: a }, { page: b }] = pair;
  const roomId = await createRoom(a, uniqueName("docs"));
  await joinRoom(b, roomId);
  for (const p of [a, b])
    p.on("dialog", (d) => void d.dismiss().then(() => expect(d.message()).toBe("never")));

  await attach(a, [
    { name: "evil.svg", mimeType: "image/svg+xml", buffer: EVIL_SVG },
    { name: "page.html", mimeType: "text/html", buffer: EVIL_HTML },
  ]);
  await sendWhenStored(a, 2, "two files");

  for (const name of ["evil.svg", "page.html"]) {
    const link = b.getByRole("link", { name: `Download ${name}` });
    await expect(link).toBeVisible();
    const href = (await link.getAttribute("href")) as string;
    expect(href).toMatch(/^\/api\/files\/[^/]+\?download=1$/);
    // Both the plain URL and the download URL are attachments, never inline.
    for (const url of [href, href.replace(/\?download=1$/, "")]) {
      const res = await b.request.get(url);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-disposition"]).toMatch(/^attachment/);
      expect(res.headers()["x-content-type-options"]).toBe("nosniff");
    }
  }
  const log = b.getByRole("log");
  await expect(log.getByTestId("file-card")).toHaveCount(2);
  await expect(log.locator("img[src*='/api/files/'], iframe, object, embed")).toHaveCount(0);
  expect(await b.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test("a too-large file is refused with the server's words; cancel and retry; offline says files need a connection", async ({
  pair,
}) => {
  const [{ page: a }] = pair;
  await createRoom(a, uniqueName("big"));
  const send = a.getByRole("button", { name: "Send" });

  // 26 MiB, over the 25 MiB limit: a readable error on the chip, and Send says why it is off.
  // By path: a 26 MiB buffer sent over the protocol takes minutes; a path is handed to Chromium as is.
  const huge = test.info().outputPath("huge.bin");
  writeFileSync(huge, Buffer.alloc(26 * 1024 * 1024, 7));
  await a.getByTestId("file-input").setInputFiles(huge);
  const chip = a.getByTestId("upload-chip");
  await expect(chip).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
  await expect(chip.getByRole("alert")).toContainText(/larger than the 25 MB limit/);
  await a.getByRole("textbox", { name: "Message" }).fill("with the big one");
  await expect(send).toBeDisabled();
  await expect(a.getByText("Retry or remove the failed upload to send.")).toBeVisible();
  await a.getByRole("button", { name: "Remove huge.bin" }).click();
  await expect(chip).toHaveCount(0);
  await expect(send).toBeEnabled();
  await a.getByRole("textbox", { name: "Message" }).fill("");

  // Cancel while it runs: the request is held, so it is still uploading when cancelled.
  await a.route("**/api/files", () => {}); // never answers
  await attach(a, [pngFile("slow.png", RED)]);
  await expect(chip).toHaveAttribute("data-status", "uploading");
  await expect(send).toBeDisabled();
  await expect(a.getByText("Waiting for uploads to finish…")).toBeVisible();
  await a.getByRole("button", { name: "Cancel upload of slow.png" }).click();
  await expect(chip).toHaveCount(0);
  await a.unroute("**/api/files");

  // A failed upload (the connection drops) offers Retry, which stores it.
  let failures = 1;
  await a.route("**/api/files", (route) =>
    failures-- > 0 ? route.abort("connectionreset") : route.continue(),
  );
  await attach(a, [pngFile("flaky.png", GREEN)]);
  await expect(chip).toHaveAttribute("data-status", "failed");
  await expect(chip.getByRole("alert")).not.toBeEmpty();
  await a.getByRole("button", { name: "Retry upload of flaky.png" }).click();
  await sendWhenStored(a, 1, "retried");
  await expect(a.getByRole("log").getByRole("img", { name: "flaky.png" })).toBeVisible();
  await a.unroute("**/api/files");

  // Offline: no attaching; text still queues.
  await a.context().setOffline(true);
  await expect(a.getByText("Files need a connection", { exact: false }).first()).toBeVisible({
    timeout: 15_000,
  });
  await expect(a.getByRole("button", { name: "Attach files" })).toBeDisabled();
  await sendMessage(a, "text still queues");
  await expect(a.getByTestId("pending-message")).toHaveCount(1);
  await a.context().setOffline(false);
  await expect(a.getByTestId("pending-message")).toHaveCount(0, { timeout: 15_000 });
});

test("a profile picture shows next to your messages in the other tab; no picture shows initials", async ({
  pair,
}) => {
  const [{ page: a }, { page: b }] = pair;
  const roomId = await createRoom(a, uniqueName("faces"));
  await joinRoom(b, roomId);
  await sendMessage(b, "I have no picture");
  const boMessage = a.getByTestId("message").filter({ hasText: "I have no picture" });
  await expect(boMessage.getByTestId("avatar-initials")).toHaveText("B");

  await a.goto("/settings");
  await expect(a.getByRole("heading", { name: "Profile picture" })).toBeVisible();
  await a.getByTestId("avatar-input").setInputFiles(pngFile("me.png", BLUE));
  await expect(a.getByRole("img", { name: "Preview of your new profile picture" })).toBeVisible();
  await a.getByRole("button", { name: "Save profile picture" }).click();
  await expect(a.getByRole("status").filter({ hasText: "Profile picture saved." })).toBeVisible();
  await expect(a.getByRole("button", { name: "Remove profile picture" })).toBeVisible();

  await a.goto(`/rooms/${roomId}`);
  await sendMessage(a, "now with a face");
  const anaMessage = b.getByTestId("message").filter({ hasText: "now with a face" });
  const face = anaMessage.getByTestId("avatar-image");
  await expect(face).toBeVisible();
  await expect.poll(() => face.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  // Removing it brings the initials back (for new renders).
  await a.goto("/settings");
  await a.getByRole("button", { name: "Remove profile picture" }).click();
  await expect(a.getByRole("status").filter({ hasText: "Profile picture removed." })).toBeVisible();
  await expect(a.getByRole("button", { name: "Upload profile picture" })).toBeVisible();
});

test("screenshots: a room with images and files, and the lightbox, at desktop and phone width", async ({
  pair,
}) => {
  const [{ page: a }, { page: b }] = pair;
  const roomId = await createRoom(a, uniqueName("gallery"));
  await joinRoom(b, roomId);
  await attach(a, [pngFile("stripes-red.png", RED), pngFile("tall-green.png", GREEN)]);
  await sendWhenStored(a, 2, "Two pictures from the offsite");
  await attach(b, [
    { name: "Quarterly report.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%…\n") },
    { name: "notes.html", mimeType: "text/html", buffer: EVIL_HTML },
  ]);
  await sendWhenStored(b, 2, "And the documents");
  await attach(a, [pngFile("banner.png", BLUE)]);
  await expect(a.locator('[data-testid="upload-chip"][data-status="stored"]')).toHaveCount(1);
  for (const [w, h, tag] of [
    [1280, 800, "desktop"],
    [390, 844, "phone"],
  ] as const) {
    await a.setViewportSize({ width: w, height: h });
    await expect(a.getByRole("log").getByRole("img", { name: "tall-green.png" })).toBeVisible();
    await a.waitForTimeout(300);
    await a.screenshot({ path: `/tmp/files-room-${tag}.png` });
    await a.getByRole("button", { name: "stripes-red.png" }).click();
    await expect(a.getByRole("dialog").getByRole("img")).toBeVisible();
    await a.waitForTimeout(300);
    await a.screenshot({ path: `/tmp/files-lightbox-${tag}.png` });
    await a.keyboard.press("Escape");
    await a.getByRole("button", { name: "Files", exact: true }).click();
    await expect(a.getByTestId("room-file")).toHaveCount(4);
    await a.screenshot({ path: `/tmp/files-panel-${tag}.png` });
    await a.getByRole("button", { name: "Files", exact: true }).click();
  }
});
