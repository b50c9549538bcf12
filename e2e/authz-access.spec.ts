// Authorization matrix for the access part (invites, guests), HTTP side: every new route × {signed
// out, deactivated, guest, member, room moderator, workspace moderator, admin, owner}. The room
// moderator is the private room's owner (who moderates it); the guest, member and room moderator are
// in the room, the workspace moderator, admin and owner are not (a private room is a 404 to them).
// Runs in the "workspace" project: it signs people up through invites while the e2e owner is active.
import { type APIRequestContext, expect, test } from "@playwright/test";
import { signInCookie } from "@/scripts/server-harness";
import { uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

const KINDS = ["signedOut", "deactivated", "guest", "member", "roomMod", "wsMod", "admin", "owner"] as const;
type Kind = (typeof KINDS)[number];

test("invite and guest routes × the eight actor kinds", async ({ playwright, baseURL }) => {
  test.setTimeout(180_000); // seven accounts and ~110 requests
  const base = baseURL as string;
  const ctxFor = (cookie: string) =>
    playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: cookie ? { cookie } : {},
      maxRedirects: 0,
    });
  const owner = await ctxFor(ownerCookie());
  // People with each role, through workspace invites made by the owner.
  const cookies: Partial<Record<Kind, string>> = { signedOut: "", owner: ownerCookie() };
  const ids: Partial<Record<Kind, string>> = {};
  const names: Partial<Record<Kind, string>> = {};
  const roleOf: Record<string, string> = {
    deactivated: "member",
    guest: "guest",
    member: "member",
    roomMod: "member",
    wsMod: "moderator",
    admin: "admin",
  };
  for (const [kind, role] of Object.entries(roleOf) as [Kind, string][]) {
    const inv = await owner.post("/api/invites", { data: { kind: "workspace", role } });
    const token = (await inv.json()).invite.token as string;
    const username = uniqueName(kind.toLowerCase().slice(0, 6));
    const res = await fetch(`${base}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        username,
        displayName: username,
        password: "correct horse battery",
        invite: token,
      }),
    });
    expect(res.status).toBe(201);
    ids[kind] = (await res.json()).user.id;
    names[kind] = username;
    cookies[kind] = await signInCookie(base, username, "correct horse battery", { existing: true });
  }
  const ctx = {} as Record<Kind, APIRequestContext>;
  for (const k of KINDS) ctx[k] = await ctxFor(cookies[k] as string);

  // A private room owned by the room moderator, with the guest and the member in it.
  const room = await ctx.roomMod.post("/api/rooms", { data: { name: uniqueName("vault"), isPrivate: true } });
  const roomId = (await room.json()).room.id as string;
  for (const k of ["guest", "member"] as const)
    expect(
      (await ctx.roomMod.post(`/api/rooms/${roomId}/members`, { data: { username: names[k] } })).status(),
    ).toBe(201);
  const openRoom = await owner.post("/api/rooms", { data: { name: uniqueName("open") } });
  const openRoomId = (await openRoom.json()).room.id as string;
  // Deactivated last (their cookie stays, and must be refused).
  expect(
    (await owner.patch(`/api/admin/users/${ids.deactivated}`, { data: { deactivated: true } })).status(),
  ).toBe(200);

  const fresh = async () =>
    (await (await owner.post("/api/invites", { data: { kind: "workspace" } })).json()).invite;
  const row = (
    name: string,
    call: (c: APIRequestContext) => Promise<{ status(): number }>,
    expected: [number, number, number, number, number, number, number, number],
  ) => ({ name, call, expected });
  const rows = [
    row("GET /api/invites", (c) => c.get("/api/invites"), [401, 401, 404, 404, 404, 404, 200, 200]),
    row(
      "GET /api/invites?roomId",
      (c) => c.get(`/api/invites?roomId=${roomId}`),
      [401, 401, 404, 404, 200, 404, 404, 404],
    ),
    row(
      "POST /api/invites workspace",
      (c) => c.post("/api/invites", { data: { kind: "workspace", role: "member" } }),
      [401, 401, 403, 403, 403, 403, 201, 201],
    ),
    row(
      "POST /api/invites room",
      (c) => c.post("/api/invites", { data: { kind: "room", roomId } }),
      [401, 401, 403, 403, 201, 404, 404, 404],
    ),
    row(
      "DELETE /api/invites/:id",
      async (c) => c.delete(`/api/invites/${(await fresh()).id}`),
      [401, 401, 404, 404, 404, 404, 200, 200],
    ),
    row(
      "GET /api/invites/:token/preview",
      async (c) => c.get(`/api/invites/${(await fresh()).token}/preview`),
      [200, 200, 200, 200, 200, 200, 200, 200],
    ),
    row(
      "POST /api/invites/:token/accept",
      async (c) => c.post(`/api/invites/${(await fresh()).token}/accept`),
      [401, 401, 200, 200, 200, 200, 200, 200],
    ),
    row("GET /api/rooms/public", (c) => c.get("/api/rooms/public"), [401, 401, 403, 200, 200, 200, 200, 200]),
    row(
      "POST /api/rooms",
      (c) => c.post("/api/rooms", { data: { name: uniqueName("r") } }),
      [401, 401, 403, 201, 201, 201, 201, 201],
    ),
    row(
      "GET /api/rooms/:public",
      (c) => c.get(`/api/rooms/${openRoomId}`),
      [401, 401, 404, 200, 200, 200, 200, 200],
    ),
    row(
      "POST /api/rooms/:public/join",
      (c) => c.post(`/api/rooms/${openRoomId}/join`),
      [401, 401, 404, 200, 200, 200, 200, 200],
    ),
    row(
      "GET /api/users/search (outside the guest's rooms)",
      async (c) => {
        const res = await c.get(`/api/users/search?q=${names.admin}`);
        if (res.status() !== 200) return res;
        const found = ((await res.json()).users as { id: string }[]).some((u) => u.id === ids.admin);
        return { status: () => (found ? 200 : 204) };
      },
      [401, 401, 204, 200, 200, 200, 200, 200],
    ),
    row(
      "POST /api/dms (someone outside the guest's rooms)",
      (c) => c.post("/api/dms", { data: { usernames: [names.admin] } }),
      [401, 401, 404, 201, 201, 201, 201, 201],
    ),
  ];
  const failures: string[] = [];
  for (const r of rows) {
    for (const [i, k] of KINDS.entries()) {
      const got = (await r.call(ctx[k])).status();
      if (got !== r.expected[i]) failures.push(`${r.name} as ${k}: ${got}, expected ${r.expected[i]}`);
    }
  }
  // Pages: the Invites tab is a 404 below admin; /signup and /invite are public.
  for (const [i, k] of KINDS.entries()) {
    const res = await ctx[k].get("/admin/invites");
    const expected = i < 2 ? 307 : i < 6 ? 404 : 200;
    if (res.status() !== expected)
      failures.push(`GET /admin/invites as ${k}: ${res.status()}, expected ${expected}`);
  }
  expect(failures).toEqual([]);
});
