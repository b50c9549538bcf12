// Accessibility: axe-core (its own script, injected into the page) on every page of Beacon, light and
// dark, desktop and phone. No violation of impact "serious" or "critical" is allowed; a table of the
// counts per page (all impacts) is printed so changes can be quoted.
//
// Adding a page: one line in PAGES. A page whose route does not exist on this build (a 404) is
// skipped with a note, so the list can name pages that land later (e.g. /api/docs).
// A11Y_SHOTS=<prefix> also saves the room page as <prefix>-desktop.png, -phone.png and -dark.png.
// Right to left: a few key pages (RTL_PAGES) also in Arabic, desktop and phone, as someone who chose
// Arabic in Settings sees them.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { type Browser, type BrowserContext, expect, type Page, test } from "@playwright/test";
import { io, type Socket } from "socket.io-client";
import { LOCALE_COOKIE } from "@/lib/i18n/locales";
import type { Ack, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/events";
import { signInCookie } from "@/scripts/server-harness";
import { uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

interface Seeded {
  roomId: string;
  privateRoomId: string;
  dmId: string;
  inviteToken: string;
  roomName: string;
  /** A member who chose Arabic in Settings (the owner's language stays the browser's). */
  arabicCookie: string;
}

/** Every page, by who sees it. `path` gets the seeded ids. */
const PAGES: { name: string; who: "anon" | "owner"; path: (s: Seeded) => string }[] = [
  { name: "sign in", who: "anon", path: () => "/signin" },
  { name: "sign up", who: "anon", path: () => "/signup" },
  { name: "offline", who: "anon", path: () => "/offline" },
  { name: "invite", who: "anon", path: (s) => `/invite/${s.inviteToken}` },
  { name: "rooms", who: "owner", path: () => "/rooms" },
  { name: "room", who: "owner", path: (s) => `/rooms/${s.roomId}` },
  { name: "private room", who: "owner", path: (s) => `/rooms/${s.privateRoomId}` },
  { name: "dm", who: "owner", path: (s) => `/rooms/${s.dmId}` },
  { name: "browse", who: "owner", path: () => "/browse" },
  { name: "mentions", who: "owner", path: () => "/mentions" },
  { name: "search", who: "owner", path: () => "/search?q=deploy" },
  { name: "settings", who: "owner", path: () => "/settings" },
  { name: "admin users", who: "owner", path: () => "/admin/users" },
  { name: "admin rooms", who: "owner", path: () => "/admin/rooms" },
  { name: "admin invites", who: "owner", path: () => "/admin/invites" },
  { name: "admin settings", who: "owner", path: () => "/admin/settings" },
  { name: "admin audit", who: "owner", path: () => "/admin/audit" },
  { name: "admin integrations", who: "owner", path: () => "/admin/integrations" },
  { name: "admin bots", who: "owner", path: () => "/admin/bots" },
  { name: "admin commands", who: "owner", path: () => "/admin/commands" },
  { name: "room integrations", who: "owner", path: (s) => `/rooms/${s.roomId}/integrations` },
  { name: "bots", who: "owner", path: () => "/settings/bots" },
  { name: "api docs", who: "owner", path: () => "/api/docs" },
];

/** The pages also checked right to left (the variants with `rtl`). */
const RTL_PAGES = new Set(["sign in", "rooms", "room", "settings"]);

const VARIANTS = [
  { name: "desktop light", viewport: { width: 1280, height: 800 }, colorScheme: "light", phone: false },
  { name: "desktop dark", viewport: { width: 1280, height: 800 }, colorScheme: "dark", phone: false },
  { name: "phone light", viewport: { width: 390, height: 844 }, colorScheme: "light", phone: true },
  { name: "phone dark", viewport: { width: 390, height: 844 }, colorScheme: "dark", phone: true },
  {
    name: "desktop arabic",
    viewport: { width: 1280, height: 800 },
    colorScheme: "light",
    phone: false,
    rtl: true,
  },
  {
    name: "phone arabic",
    viewport: { width: 390, height: 844 },
    colorScheme: "light",
    phone: true,
    rtl: true,
  },
] as const;

const AXE = path.resolve(process.cwd(), "node_modules/axe-core/axe.min.js");
const IMPACTS = ["critical", "serious", "moderate", "minor"] as const;
type Impact = (typeof IMPACTS)[number];

interface AxeResult {
  violations: { id: string; impact: Impact | null; help: string; nodes: { target: string[] }[] }[];
}

let seeded: Seeded;

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
async function connect(baseURL: string, cookie: string): Promise<Client> {
  const s: Client = io(baseURL, { transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  await new Promise<void>((resolve, reject) => {
    s.once("connect", () => resolve());
    s.once("connect_error", reject);
  });
  return s;
}
async function emit<T>(s: Client, event: string, payload: unknown): Promise<T> {
  // biome-ignore lint/suspicious/noExplicitAny: the typed emitWithAck does not take a generic event here
  const ack = (await (s.timeout(10_000) as any).emitWithAck(event, payload)) as Ack<T>;
  if (!ack.ok) throw new Error(`${event}: ${ack.error.message}`);
  return ack.data;
}

test.beforeAll(async ({ playwright, baseURL }) => {
  const base = baseURL as string;
  const owner = ownerCookie();
  const api = await playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { cookie: owner } });
  const peerName = uniqueName("axepeer");
  await signInCookie(base, peerName);
  const roomName = uniqueName("axe-room").toLowerCase();
  const room = await api.post("/api/rooms", { data: { name: roomName, topic: "Where the deploy happens" } });
  expect(room.status()).toBe(201);
  const roomId = ((await room.json()) as { room: { id: string } }).room.id;
  const priv = await api.post("/api/rooms", {
    data: { name: uniqueName("axe-lead").toLowerCase(), isPrivate: true },
  });
  const privateRoomId = ((await priv.json()) as { room: { id: string } }).room.id;
  const dm = await api.post("/api/dms", { data: { usernames: [peerName] } });
  expect(dm.ok()).toBe(true);
  const dmId = ((await dm.json()) as { room: { id: string } }).room.id;
  const invite = await api.post("/api/invites", { data: { kind: "workspace" } });
  expect(invite.status()).toBe(201);
  const inviteToken = ((await invite.json()) as { invite: { token: string } }).invite.token;

  const s = await connect(base, owner);
  const send = (rid: string, body: string) =>
    emit<{ id: string }>(s, "message:send", { roomId: rid, clientId: randomUUID(), body });
  await send(roomId, `Morning @${peerName}, the deploy is **green**.`);
  const code = await send(roomId, "Run this:\n```\nnpm run build\nnpm start\n```");
  await send(roomId, "A quote:\n> shipping beats perfect\n\nand a [link](https://example.com)");
  await emit(s, "reaction:toggle", { roomId, messageId: code.id, emoji: "👍" });
  const edited = await send(roomId, "deploy at 5");
  await emit(s, "message:edit", { roomId, messageId: edited.id, body: "deploy at 6" });
  await send(dmId, "Hi, got a minute for the deploy?");
  await send(privateRoomId, "Leadership notes");
  s.disconnect();
  await api.dispose();
  const arabicCookie = await signInCookie(base, uniqueName("axearabic"));
  const arabic = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { cookie: arabicCookie },
  });
  expect((await arabic.put("/api/account/locale", { data: { locale: "ar" } })).ok()).toBe(true);
  expect((await arabic.post(`/api/rooms/${roomId}/join`)).ok()).toBe(true);
  await arabic.dispose();
  seeded = { roomId, privateRoomId, dmId, inviteToken, roomName, arabicCookie };
});

async function newContext(browser: Browser, v: (typeof VARIANTS)[number], cookie?: string, base = "") {
  const rtl = "rtl" in v && v.rtl;
  const context = await browser.newContext({
    // Arabic both ways: the browser asks for it (signed out), the account chose it (signed in).
    ...(rtl ? { locale: "ar" } : {}),
    viewport: v.viewport,
    colorScheme: v.colorScheme,
    isMobile: v.phone,
    hasTouch: v.phone,
    deviceScaleFactor: v.phone ? 2 : 1,
    // axe is injected as a script: pages with a strict CSP of their own (/api/docs allows no script
    // at all) would refuse it. This only lifts the CSP for the checker, not for what it measures.
    bypassCSP: true,
  });
  if (cookie) {
    const [name, ...rest] = cookie.split("=");
    await context.addCookies([{ name: name as string, value: rest.join("="), url: base }]);
    if (rtl) await context.addCookies([{ name: LOCALE_COOKIE, value: "ar", url: base }]);
  }
  return context;
}

async function audit(page: Page): Promise<AxeResult> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is the injected global
    const axe = (window as any).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return {
      violations: r.violations.map(
        (v: { id: string; impact: Impact | null; help: string; nodes: { target: string[] }[] }) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.map((n) => ({ target: n.target })),
        }),
      ),
    };
  });
}

for (const v of VARIANTS) {
  test(`axe: no serious or critical violations on any page (${v.name})`, async ({ browser, baseURL }) => {
    test.setTimeout(240_000);
    const base = baseURL as string;
    const rtl = "rtl" in v && v.rtl;
    const contexts: Record<"anon" | "owner", BrowserContext> = {
      anon: await newContext(browser, v),
      owner: await newContext(browser, v, rtl ? seeded.arabicCookie : ownerCookie(), base),
    };
    const pages = { anon: await contexts.anon.newPage(), owner: await contexts.owner.newPage() };
    const bad: string[] = [];
    const table: string[] = [];
    try {
      for (const p of rtl ? PAGES.filter((x) => RTL_PAGES.has(x.name)) : PAGES) {
        const page = pages[p.who];
        const res = await page.goto(p.path(seeded));
        if (res?.status() === 404) {
          table.push(`${p.name} | (not on this build: 404)`);
          continue;
        }
        expect(res?.status(), `${p.name} loads`).toBeLessThan(400);
        // Hydrated and settled: client components render their final state before the audit.
        await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
        if (rtl)
          await expect(page.locator("html"), `${p.name} is right to left`).toHaveAttribute("dir", "rtl");
        if (p.name === "room") {
          await expect(page.getByTestId("message").first()).toBeVisible();
          const prefix = process.env.A11Y_SHOTS;
          if (prefix && v.name !== "phone dark") {
            const which = v.phone ? "phone" : v.colorScheme === "dark" ? "dark" : "desktop";
            await page.screenshot({ path: `${prefix}-${which}.png` });
          }
        }
        const r = await audit(page);
        const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0])) as Record<Impact, number>;
        for (const x of r.violations) {
          if (x.impact) counts[x.impact] += x.nodes.length;
          if (x.impact === "serious" || x.impact === "critical") {
            bad.push(
              `${p.name}: ${x.impact} ${x.id} (${x.help}) at ${x.nodes
                .slice(0, 4)
                .map((n) => n.target.join(" "))
                .join(", ")}${x.nodes.length > 4 ? ` and ${x.nodes.length - 4} more` : ""}`,
            );
          }
        }
        table.push(`${p.name} | ${IMPACTS.map((i) => counts[i]).join(" | ")}`);
      }
    } finally {
      await contexts.anon.close();
      await contexts.owner.close();
      // The numbers for the change log: critical | serious | moderate | minor nodes, per page.
      console.info(
        `\naxe-core (${v.name}): page | critical | serious | moderate | minor\n${table.join("\n")}\n`,
      );
    }
    expect(bad, bad.join("\n")).toEqual([]);
  });
}
