// Authorization matrix, HTTP side, for room moderation: every new route × {signed out, deactivated,
// guest, member, room moderator, workspace moderator, admin, owner} on a public room. Workspace roles
// and deactivation are set through the admin API (PATCH /api/admin/users/:id, the e2e owner's cookie).
import { type APIRequestContext, expect, test } from "@playwright/test";
import { signInCookie } from "@/scripts/server-harness";
import { uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

type Who =
  | "signedOut"
  | "deactivated"
  | "guest"
  | "member"
  | "roomModerator"
  | "workspaceModerator"
  | "admin"
  | "owner";
const WHO: Who[] = [
  "signedOut",
  "deactivated",
  "guest",
  "member",
  "roomModerator",
  "workspaceModerator",
  "admin",
  "owner",
];

test("room moderation routes × roles", async ({ playwright, baseURL }) => {
  test.setTimeout(300_000);
  const base = baseURL as string;
  const boss = await playwright.request.newContext({
    baseURL: base,
    extraHTTPHeaders: { cookie: ownerCookie() },
  });
  const names = Object.fromEntries(WHO.map((w) => [w, uniqueName(w.slice(0, 6).toLowerCase())])) as Record<
    Who,
    string
  >;
  const roomOwnerName = uniqueName("rowner");
  const cookies = { signedOut: "" } as Record<Who | "roomOwner", string>;
  cookies.roomOwner = await signInCookie(base, roomOwnerName);
  for (const w of WHO.slice(1)) cookies[w] = await signInCookie(base, names[w]);
  const ctx = {} as Record<Who | "roomOwner", APIRequestContext>;
  for (const w of [...WHO, "roomOwner"] as const)
    ctx[w] = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: cookies[w] ? { cookie: cookies[w] } : {},
      maxRedirects: 0,
    });
  const idOf = async (username: string): Promise<string> => {
    const res = await boss.get(`/api/users/search?q=${username}`);
    const users = ((await res.json()) as { users: { id: string; username: string }[] }).users;
    return users.find((u) => u.username === username)?.id as string;
  };
  const ids = {} as Record<Who, string>;
  for (const w of WHO.slice(1)) ids[w] = await idOf(names[w]);

  // Everyone but the guest and the signed-out joins one public room per check (fresh state each).
  const setRole = async (w: Who, role: string) =>
    expect((await boss.patch(`/api/admin/users/${ids[w]}`, { data: { role } })).status()).toBe(200);
  await setRole("guest", "guest");
  await setRole("workspaceModerator", "moderator");
  await setRole("admin", "admin");
  await setRole("owner", "owner");

  async function freshRoom() {
    const created = await ctx.roomOwner.post("/api/rooms", { data: { name: uniqueName("authz") } });
    const room = (await created.json()).room as { id: string; name: string };
    for (const w of ["deactivated", "guest", "member", "roomModerator"] as const)
      await ctx.roomOwner.post(`/api/rooms/${room.id}/members`, { data: { username: names[w] } });
    for (const w of ["workspaceModerator", "admin", "owner"] as const)
      await ctx[w].post(`/api/rooms/${room.id}/join`);
    await ctx.roomOwner.patch(`/api/rooms/${room.id}/members/${ids.roomModerator}`, {
      data: { role: "moderator" },
    });
    const victim = uniqueName("victim");
    const victimCookie = await signInCookie(base, victim);
    const v = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: { cookie: victimCookie },
    });
    await v.post(`/api/rooms/${room.id}/join`);
    return { ...room, victimId: await idOf(victim) };
  }

  // Deactivate last: their cookie is refused from then on (401), like signed out.
  const deactivated = await boss.patch(`/api/admin/users/${ids.deactivated}`, {
    data: { deactivated: true },
  });
  expect(deactivated.status()).toBe(200);

  const mod = { signedOut: 401, deactivated: 401, guest: 403, member: 403 } as Record<Who, number>;
  const ok = (w: Who, okStatus: number, extra: Partial<Record<Who, number>> = {}) =>
    extra[w] ?? mod[w] ?? okStatus;
  const cases: [
    string,
    (c: APIRequestContext, r: Awaited<ReturnType<typeof freshRoom>>) => Promise<number>,
    (w: Who) => number,
  ][] = [
    [
      "PATCH /api/rooms/:id",
      async (c, r) => (await c.patch(`/api/rooms/${r.id}`, { data: { topic: "x" } })).status(),
      (w) => ok(w, 200),
    ],
    [
      "GET /api/rooms/:id/bans",
      async (c, r) => (await c.get(`/api/rooms/${r.id}/bans`)).status(),
      (w) => ok(w, 200),
    ],
    [
      "PUT /api/rooms/:id/bans/:userId",
      async (c, r) => (await c.put(`/api/rooms/${r.id}/bans/${r.victimId}`, { data: {} })).status(),
      (w) => ok(w, 200),
    ],
    [
      "DELETE /api/rooms/:id/members/:userId",
      async (c, r) => (await c.delete(`/api/rooms/${r.id}/members/${r.victimId}`)).status(),
      (w) => ok(w, 200),
    ],
    [
      "PATCH /api/rooms/:id/members/:userId (choose moderators: room owner or admin+)",
      async (c, r) =>
        (await c.patch(`/api/rooms/${r.id}/members/${r.victimId}`, { data: { role: "moderator" } })).status(),
      (w) => ok(w, 200, { roomModerator: 403, workspaceModerator: 403 }),
    ],
    [
      "DELETE /api/rooms/:id (room owner or admin+, typed confirmation)",
      async (c, r) => (await c.delete(`/api/rooms/${r.id}`, { data: { confirm: r.name } })).status(),
      (w) => ok(w, 200, { roomModerator: 403, workspaceModerator: 403 }),
    ],
    [
      "GET /api/rooms/:id/pins (anyone who can see the room)",
      async (c, r) => (await c.get(`/api/rooms/${r.id}/pins`)).status(),
      (w) => ok(w, 200, { guest: 200, member: 200 }),
    ],
  ];
  const failures: string[] = [];
  for (const [label, run, expected] of cases) {
    for (const w of WHO) {
      const room = await freshRoom();
      const got = await run(ctx[w], room);
      if (got !== expected(w)) failures.push(`${label} as ${w}: expected ${expected(w)}, got ${got}`);
    }
  }
  expect(failures).toEqual([]);
  // Wrong methods answer a JSON 405.
  const room = await freshRoom();
  const wrong = await ctx.member.post(`/api/rooms/${room.id}/bans`);
  expect(wrong.status()).toBe(405);
  expect((await wrong.json()).error.code).toBe("method_not_allowed");
});
