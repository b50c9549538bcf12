// Authorization matrix for the admin console (issue 15): every /api/admin route and /admin page ×
// {signed out, deactivated, guest, member, room moderator, workspace moderator, admin, owner}.
// Below admin the console does not exist (404); signed out / deactivated is 401 (pages: to sign-in).
import { type APIRequestContext, expect, test } from "@playwright/test";
import { signInCookie } from "@/scripts/server-harness";
import { uniqueName } from "./helpers";
import { ensureOwnerRole, ownerCookie } from "./owner";

const WHO = [
  "signedOut",
  "deactivated",
  "guest",
  "member",
  "roomModerator",
  "workspaceModerator",
  "admin",
  "owner",
] as const;
type Who = (typeof WHO)[number];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await ensureOwnerRole();
});

test("/api/admin/* and /admin pages × workspace roles", async ({ playwright, baseURL }) => {
  test.setTimeout(120_000);
  const base = baseURL as string;
  const owner = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { cookie: ownerCookie() },
  });
  const idOf = async (username: string): Promise<string> => {
    const res = await owner.get(`/api/admin/users?q=${username}`);
    const users = (await res.json()).users as { id: string; username: string }[];
    const u = users.find((x) => x.username === username);
    if (!u) throw new Error(`no ${username}`);
    return u.id;
  };
  const cookies = {} as Record<Who, string>;
  cookies.signedOut = "";
  cookies.owner = ownerCookie();
  const roles: Partial<Record<Who, string>> = {
    deactivated: "member",
    guest: "guest",
    member: "member",
    roomModerator: "member",
    workspaceModerator: "moderator",
    admin: "admin",
  };
  for (const [who, role] of Object.entries(roles) as [Who, string][]) {
    const name = uniqueName(who.slice(0, 6).toLowerCase());
    cookies[who] = await signInCookie(base, name);
    if (role !== "member") {
      const r = await owner.patch(`/api/admin/users/${await idOf(name)}`, { data: { role } });
      expect(r.status()).toBe(200);
    }
    if (who === "roomModerator") {
      const c = await playwright.request.newContext({
        baseURL: base,
        extraHTTPHeaders: { cookie: cookies[who] },
      });
      expect((await c.post("/api/rooms", { data: { name: uniqueName("modroom") } })).status()).toBe(201);
    }
    if (who === "deactivated") {
      expect(
        (await owner.patch(`/api/admin/users/${await idOf(name)}`, { data: { deactivated: true } })).status(),
      ).toBe(200);
    }
  }
  const target = uniqueName("target");
  await signInCookie(base, target);
  const targetId = await idOf(target);

  const ctx = {} as Record<Who, APIRequestContext>;
  for (const who of WHO)
    ctx[who] = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: cookies[who] ? { cookie: cookies[who] } : {},
      maxRedirects: 0,
    });

  const api: [string, (c: APIRequestContext) => ReturnType<APIRequestContext["get"]>][] = [
    ["GET /api/admin/users", (c) => c.get("/api/admin/users")],
    ["GET /api/admin/users/:id", (c) => c.get(`/api/admin/users/${targetId}`)],
    [
      "PATCH /api/admin/users/:id",
      (c) => c.patch(`/api/admin/users/${targetId}`, { data: { role: "member" } }),
    ],
    ["POST /api/admin/users/:id/reset-link", (c) => c.post(`/api/admin/users/${targetId}/reset-link`)],
    ["GET /api/admin/rooms", (c) => c.get("/api/admin/rooms")],
    ["GET /api/admin/audit", (c) => c.get("/api/admin/audit")],
    ["GET /api/admin/settings", (c) => c.get("/api/admin/settings")],
    ["PATCH /api/admin/settings", (c) => c.patch("/api/admin/settings", { data: {} })],
  ];
  const expected = (who: Who): number =>
    who === "signedOut" || who === "deactivated" ? 401 : who === "admin" || who === "owner" ? 200 : 404;
  const got: string[] = [];
  const want: string[] = [];
  for (const [name, call] of api) {
    for (const who of WHO) {
      const res = await call(ctx[who]);
      got.push(`${name} × ${who}: ${res.status()}`);
      want.push(`${name} × ${who}: ${expected(who)}`);
      if (res.status() === 404) expect(await res.text()).not.toContain(target);
    }
  }
  for (const page of ["/admin", "/admin/users", "/admin/rooms", "/admin/settings", "/admin/audit"]) {
    for (const who of WHO) {
      const res = await ctx[who].get(page);
      const status = res.status();
      got.push(`${page} × ${who}: ${status === 307 || status === 303 ? "to sign-in" : status}`);
      const w = who === "signedOut" || who === "deactivated" ? "to sign-in" : expected(who);
      want.push(`${page} × ${who}: ${w}`);
      if (status === 307 || status === 303) expect(res.headers().location).toContain("/signin");
    }
  }
  expect(got).toEqual(want);
});
