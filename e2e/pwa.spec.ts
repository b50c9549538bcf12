// Beacon as an installed app: Chromium's own installability checks (DevTools protocol), what the
// service worker keeps (the offline shell and build assets, never API answers or pages with data),
// the offline shell in place of an unreachable page, and the app badge following the unread count.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { createRoom, joinRoom, messageBodies, sendMessage, signUp, uniqueName } from "./helpers";

/** Resolves once the service worker is active and controls `page`. */
async function workerInControl(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? "none"), { timeout: 15_000 })
    .toBe("activated");
}

/** Every entry of every Cache Storage cache of the origin, as "cache-name /path?query". */
async function cachedEntries(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const out: string[] = [];
    for (const name of await caches.keys()) {
      for (const req of await (await caches.open(name)).keys()) {
        const url = new URL(req.url);
        out.push(`${name} ${url.pathname}${url.search}`);
      }
    }
    return out;
  });
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

test("Chromium finds Beacon installable: a valid manifest, its icons and an active service worker", async ({
  playwright,
  launchOptions,
  baseURL,
}, testInfo) => {
  // A persistent profile: Chromium never offers to install from an incognito (throwaway) context.
  const context = await playwright.chromium.launchPersistentContext(testInfo.outputPath("profile"), {
    ...launchOptions,
    baseURL,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto("/signin");
    await workerInControl(page);
    const cdp = await page.context().newCDPSession(page);

    const manifest = await cdp.send("Page.getAppManifest");
    expect(manifest.errors).toEqual([]);
    expect(new URL(manifest.url).pathname).toBe("/manifest.webmanifest");
    const data = JSON.parse(manifest.data ?? "{}") as {
      name: string;
      short_name: string;
      start_url: string;
      display: string;
      icons: { src: string; sizes: string; type: string; purpose: string }[];
    };
    expect(data).toMatchObject({
      name: "Beacon",
      short_name: "Beacon",
      start_url: "/",
      display: "standalone",
    });
    expect(data.icons.map((i) => `${i.sizes} ${i.purpose}`)).toEqual([
      "192x192 any",
      "512x512 any",
      "512x512 maskable",
    ]);
    // Each icon is the PNG it claims to be (Chromium refuses an icon of the wrong size).
    for (const icon of [
      ...data.icons,
      { src: "/apple-touch-icon.png", sizes: "180x180", type: "image/png" },
    ]) {
      const res = await page.request.get(icon.src);
      expect(res.status(), icon.src).toBe(200);
      expect(res.headers()["content-type"]).toBe("image/png");
      expect(pngSize(await res.body()).join("x")).toBe(icon.sizes);
    }

    // Chromium's own verdict: nothing stands in the way of installing (no errors at all).
    await expect
      .poll(async () => (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors)
      .toEqual([]);

    // The tags iOS and the title bar read: apple-touch-icon, and a theme colour for light and dark.
    await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute(
      "href",
      "/apple-touch-icon.png",
    );
    await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
    await expect(page.locator('meta[name="theme-color"]')).toHaveCount(2);
  } finally {
    await context.close();
  }
});

test("the service worker keeps the offline shell and build assets, never API answers or pages with data", async ({
  page,
}) => {
  const { username } = await signUp(page, "Pia");
  const roomId = await createRoom(page, uniqueName("cache"));
  await sendMessage(page, "a private matter");
  await expect(page.getByTestId("message-body")).toHaveText(["a private matter"]);
  await workerInControl(page);
  // A page load and API reads of this person's data, all through the worker now.
  await page.reload();
  await expect(page.getByTestId("message-body")).toHaveText(["a private matter"]);
  const apiStatuses = await page.evaluate(async (id) => {
    const urls = ["/api/sidebar", `/api/rooms/${id}/messages?limit=10`];
    return Promise.all(urls.map(async (u) => (await fetch(u)).status));
  }, roomId);
  expect(apiStatuses).toEqual([200, 200]);
  await page.goto("/settings");
  await page.goto(`/rooms/${roomId}`);
  await expect(page.getByTestId("message-body")).toHaveText(["a private matter"]);

  const entries = await cachedEntries(page);
  const paths = entries.map((e) => e.split(" ")[1] as string);
  expect(paths).toContain("/offline");
  expect(paths.some((p) => p.startsWith("/_next/static/"))).toBe(true);
  // Nothing else at all: no API answer, no room page, no settings page.
  expect(paths.filter((p) => p !== "/offline" && !p.startsWith("/_next/static/"))).toEqual([]);
  expect(paths.filter((p) => p.startsWith("/api/") || p.startsWith("/rooms"))).toEqual([]);
  // The cache names carry the build, so a new build's worker can drop the old ones.
  const build = readFileSync(".next/BUILD_ID", "utf8").trim();
  expect(new Set(entries.map((e) => e.split(" ")[0]))).toEqual(
    new Set([`beacon-shell-${build}`, `beacon-static-${build}`]),
  );
  // No navigation preload: Chromium would then send a navigation the worker passes through (an
  // OAuth callback, whose code works once) twice, the preload and the request itself.
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.ready).navigationPreload.getState()),
  ).toMatchObject({ enabled: false });
  // The cached shell was fetched without the person's cookies: it holds nothing of theirs.
  const shell = await page.evaluate(async () => (await caches.match("/offline"))?.text());
  expect(shell).toContain("You're offline");
  expect(shell).not.toContain(username);
  expect(shell).not.toContain("a private matter");
});

test("offline, a page that cannot be reached shows the offline shell; back online it opens itself and queued messages go out", async ({
  pair,
}, testInfo) => {
  const [{ page: a }, { context: ctxB, page: b }] = pair;
  const roomName = uniqueName("away");
  const roomId = await createRoom(a, roomName);
  await joinRoom(b, roomId);
  await workerInControl(b);

  await ctxB.setOffline(true);
  await expect(b.getByRole("status")).toContainText("Reconnecting");
  await sendMessage(b, "written on the train");
  await expect(b.getByTestId("pending-message")).toHaveCount(1);
  // A reload with no network: the shell instead of the browser's error page, at the same address.
  await b.reload();
  const heading = b.getByRole("heading", { name: "You're offline — Beacon will reconnect" });
  await expect(heading).toBeVisible();
  expect(new URL(b.url()).pathname).toBe(`/rooms/${roomId}`);
  await b.screenshot({ path: testInfo.outputPath("offline-shell.png") });
  // Any other page too, and Retry while still offline keeps the shell (and stays usable).
  await b.goto("/settings");
  await expect(heading).toBeVisible();
  await b.getByRole("button", { name: "Retry" }).click();
  await expect(heading).toBeVisible();
  await b.goto(`/rooms/${roomId}`);
  await expect(heading).toBeVisible();

  // Back online: the room opens by itself and the message written offline goes out, once.
  await ctxB.setOffline(false);
  await expect(b.getByRole("log", { name: `Messages in #${roomName}` })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => messageBodies(a), { timeout: 15_000 }).toEqual(["written on the train"]);
  await expect(b.getByTestId("pending-message")).toHaveCount(0);
  await expect.poll(() => messageBodies(b)).toEqual(["written on the train"]);
});

test("the app badge shows the unread count as others post, and clears once read", async ({ pair }) => {
  const [{ page: a }, { page: b }] = pair;
  // Observe the Badging API as the page calls it (the real one still runs).
  await a.addInitScript(() => {
    const w = window as unknown as { __badge: number[] };
    w.__badge = [];
    const nav = navigator as Navigator & Partial<Pick<Navigator, "setAppBadge" | "clearAppBadge">>;
    const set = nav.setAppBadge?.bind(navigator);
    const clear = nav.clearAppBadge?.bind(navigator);
    if (!set || !clear) return;
    nav.setAppBadge = (n?: number) => {
      w.__badge.push(n ?? -1);
      return set(n);
    };
    nav.clearAppBadge = () => {
      w.__badge.push(0);
      return clear();
    };
  });
  const roomName = uniqueName("badge");
  const roomId = await createRoom(a, roomName);
  await joinRoom(b, roomId);
  await a.goto("/browse");
  expect(await a.evaluate(() => "setAppBadge" in navigator)).toBe(true);
  const badge = () => a.evaluate(() => (window as unknown as { __badge: number[] }).__badge.at(-1));
  await expect.poll(badge).toBe(0);

  await sendMessage(b, "one");
  await expect.poll(badge).toBe(1);
  await sendMessage(b, "two");
  await sendMessage(b, "three");
  await expect.poll(badge).toBe(3);
  await expect(a).toHaveTitle(/^\(3\) /);

  await a.getByRole("navigation", { name: "Sidebar" }).getByRole("link", { name: roomName }).click();
  await expect(a.getByTestId("message-body")).toHaveText(["one", "two", "three"]);
  await expect.poll(badge).toBe(0);
});
