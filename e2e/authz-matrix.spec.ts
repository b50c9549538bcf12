// Authorization matrix, HTTP side: every route and page that touches a room × {signed out,
// non-member, member, owner} on a private room. Nothing about the room leaks to those who may not see it.
import { type APIRequestContext, expect, test } from "@playwright/test";
import { signInCookie } from "@/scripts/server-harness";
import { uniqueName } from "./helpers";
import { ownerCookie } from "./owner";

type Role = "signedOut" | "nonMember" | "member" | "owner";

test("HTTP routes and pages × roles on a private room", async ({ playwright, baseURL }) => {
  const base = baseURL as string;
  const names = { nonMember: uniqueName("nm"), member: uniqueName("mb"), owner: uniqueName("ow") };
  const cookies: Record<Role, string> = {
    signedOut: "",
    nonMember: await signInCookie(base, names.nonMember),
    member: await signInCookie(base, names.member),
    owner: await signInCookie(base, names.owner),
  };
  const ctx: Record<Role, APIRequestContext> = {} as never;
  for (const role of Object.keys(cookies) as Role[]) {
    ctx[role] = await playwright.request.newContext({
      baseURL: base,
      extraHTTPHeaders: cookies[role] ? { cookie: cookies[role] } : {},
      maxRedirects: 0,
    });
  }
  const secret = `zz${Date.now().toString(36)}secret`;
  const roomName = uniqueName("vault");
  const created = await ctx.owner.post("/api/rooms", {
    data: { name: roomName, isPrivate: true },
  });
  const roomId = (await created.json()).room.id as string;
  expect(
    (await ctx.owner.post(`/api/rooms/${roomId}/members`, { data: { username: names.member } })).status(),
  ).toBe(201);
  // A message with a secret word (and a mention of the owner), sent over the member's socket.
  const { io } = await import("socket.io-client");
  const s = io(base, {
    transports: ["websocket"],
    extraHeaders: { cookie: cookies.member },
    reconnection: false,
  });
  await new Promise<void>((r, j) => {
    s.once("connect", () => r());
    s.once("connect_error", j);
  });
  // A file in the room, uploaded by the member and sent with the message.
  const uploadAs = (c: APIRequestContext) =>
    c.post("/api/files", {
      multipart: {
        roomId,
        file: { name: "plan.txt", mimeType: "text/plain", buffer: Buffer.from(`the ${secret} file`) },
      },
    });
  const uploaded = await uploadAs(ctx.member);
  expect(uploaded.status()).toBe(201);
  const fileId = (await uploaded.json()).file.id as string;
  await s.timeout(5000).emitWithAck("message:send", {
    roomId,
    clientId: crypto.randomUUID(),
    body: `the ${secret} plan @${names.owner}`,
    fileIds: [fileId],
  });
  s.disconnect();
  const memberId = (await (await ctx.member.get(`/api/users/search?q=${names.member}`)).json()).users[0]
    .id as string;

  const matrix: [
    string,
    (c: APIRequestContext) => Promise<{ status(): number; text(): Promise<string> }>,
    Record<Role, number>,
  ][] = [
    [
      "GET room",
      (c) => c.get(`/api/rooms/${roomId}`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET messages",
      (c) => c.get(`/api/rooms/${roomId}/messages`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET messages around",
      (c) => c.get(`/api/rooms/${roomId}/messages?around=1`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET members",
      (c) => c.get(`/api/rooms/${roomId}/members`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET file",
      (c) => c.get(`/api/files/${fileId}`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET file download",
      (c) => c.get(`/api/files/${fileId}?download=1`, { headers: { range: "bytes=0-3" } }),
      { signedOut: 401, nonMember: 404, member: 206, owner: 206 },
    ],
    [
      "DELETE sent file",
      (c) => c.delete(`/api/files/${fileId}`),
      { signedOut: 401, nonMember: 404, member: 409, owner: 404 },
    ],
    [
      "GET room files",
      (c) => c.get(`/api/rooms/${roomId}/files`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "POST file to the room",
      (c) => uploadAs(c),
      { signedOut: 401, nonMember: 404, member: 201, owner: 201 },
    ],
    [
      "GET avatar (none set)",
      (c) => c.get(`/api/users/${memberId}/avatar`),
      { signedOut: 401, nonMember: 404, member: 404, owner: 404 },
    ],
    [
      "POST members",
      (c) => c.post(`/api/rooms/${roomId}/members`, { data: { username: names.nonMember } }),
      { signedOut: 401, nonMember: 404, member: 403, owner: 201 },
    ],
    [
      "POST join",
      (c) => c.post(`/api/rooms/${roomId}/join`),
      { signedOut: 401, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET page",
      (c) => c.get(`/rooms/${roomId}`),
      { signedOut: 307, nonMember: 404, member: 200, owner: 200 },
    ],
    [
      "GET sidebar",
      (c) => c.get("/api/sidebar"),
      { signedOut: 401, nonMember: 200, member: 200, owner: 200 },
    ],
    [
      "GET search",
      (c) => c.get(`/api/search?q=${secret}`),
      { signedOut: 401, nonMember: 200, member: 200, owner: 200 },
    ],
    [
      "GET mentions",
      (c) => c.get("/api/mentions"),
      { signedOut: 401, nonMember: 200, member: 200, owner: 200 },
    ],
    [
      "GET public rooms",
      (c) => c.get("/api/rooms/public"),
      { signedOut: 401, nonMember: 200, member: 200, owner: 200 },
    ],
    ["GET my rooms", (c) => c.get("/api/rooms"), { signedOut: 401, nonMember: 200, member: 200, owner: 200 }],
    [
      "GET search page",
      (c) => c.get(`/search?q=${secret}`),
      { signedOut: 307, nonMember: 200, member: 200, owner: 200 },
    ],
    [
      "GET mentions page",
      (c) => c.get("/mentions"),
      { signedOut: 307, nonMember: 200, member: 200, owner: 200 },
    ],
  ];
  // After the owner's POST members above ran, the non-member would become a member: run roles in this order.
  const order: Role[] = ["signedOut", "nonMember", "member", "owner"];
  for (const [label, req, expected] of matrix) {
    for (const role of order) {
      if (label === "POST members" && role === "owner") continue; // would change the matrix's subject
      const res = await req(ctx[role]);
      expect(res.status(), `${label} as ${role}`).toBe(expected[role]);
      const body = await res.text();
      const mayKnow = role === "member" || role === "owner";
      if (!mayKnow) {
        // (a searched word may be echoed back from the URL; the message text never)
        expect(body, `${label} as ${role} leaks the message`).not.toContain(`${secret} plan`);
        // (the room id may be echoed back from the URL the visitor asked for; its name never)
        expect(body, `${label} as ${role} leaks the room name`).not.toContain(roomName);
      } else if (label === "GET search" || label === "GET search page") {
        expect(body).toContain(`${secret}`);
        expect(body).toContain("plan");
      }
    }
  }
  // leave: signed-out and non-member cannot even tell the room exists
  expect((await ctx.signedOut.post(`/api/rooms/${roomId}/leave`)).status()).toBe(401);
  expect((await ctx.nonMember.post(`/api/rooms/${roomId}/leave`)).status()).toBe(404);
  for (const c of Object.values(ctx)) await c.dispose();
});

// Personal access tokens (issue 18) × routes, over real HTTP: a token gets what its scopes and its
// user's current role allow, never the account's security routes, and a bad token is a 401.
test("API token scopes × routes", async ({ playwright, baseURL }) => {
  const base = baseURL as string;
  const session = async (cookie: string) =>
    playwright.request.newContext({ baseURL: base, extraHTTPHeaders: { cookie }, maxRedirects: 0 });
  const memberName = uniqueName("tkm");
  const demotedName = uniqueName("tkd");
  const member = await session(await signInCookie(base, memberName));
  const demoted = await session(await signInCookie(base, demotedName));
  const owner = await session(ownerCookie());
  const mint = async (c: APIRequestContext, scopes: string[]) => {
    const res = await c.post("/api/account/tokens", { data: { name: scopes.join("+"), scopes } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).token.token as string;
  };
  // A member promoted to admin mints an admin token, then is demoted: the token's admin scope is dead.
  const demotedId = (await (await owner.get(`/api/admin/users?q=${demotedName}`)).json()).users[0]
    .id as string;
  expect((await owner.patch(`/api/admin/users/${demotedId}`, { data: { role: "admin" } })).status()).toBe(
    200,
  );
  const tokens: Record<string, string> = {
    read: await mint(member, ["read"]),
    write: await mint(member, ["write"]),
    readWrite: await mint(member, ["read", "write"]),
    ownerAdmin: await mint(owner, ["read", "admin"]),
    demotedAdmin: await mint(demoted, ["read", "write", "admin"]),
    revoked: await mint(member, ["read", "write"]),
  };
  expect((await owner.patch(`/api/admin/users/${demotedId}`, { data: { role: "member" } })).status()).toBe(
    200,
  );
  // A member may not even ask for the admin scope.
  expect(
    (await member.post("/api/account/tokens", { data: { name: "x", scopes: ["admin"] } })).status(),
  ).toBe(403);
  const list = (await (await member.get("/api/account/tokens")).json()).tokens as {
    id: string;
    name: string;
  }[];
  // Two tokens are named read+write: revoke the newest (the list is newest first), `revoked`.
  const revokedId = list.find((t) => t.name === "read+write")?.id;
  expect(revokedId).toBeTruthy();
  expect((await member.delete(`/api/account/tokens/${revokedId}`)).status()).toBe(200);

  const plain = await playwright.request.newContext({ baseURL: base, maxRedirects: 0 });
  const as = (token: string | null): { headers: Record<string, string> } => ({
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const newRoom = () => ({ data: { name: uniqueName("tkroom") } });
  const cases: [
    string,
    (h: { headers: Record<string, string> }) => Promise<{ status(): number }>,
    Record<string, number>,
  ][] = [
    [
      "GET /api/rooms",
      (h) => plain.get("/api/rooms", h),
      {
        read: 200,
        write: 403,
        readWrite: 200,
        ownerAdmin: 200,
        demotedAdmin: 200,
        revoked: 401,
        none: 401,
        bad: 401,
      },
    ],
    [
      "POST /api/rooms",
      (h) => plain.post("/api/rooms", { ...h, ...newRoom() }),
      { read: 403, write: 201, readWrite: 201, ownerAdmin: 403, revoked: 401, none: 401, bad: 401 },
    ],
    [
      "GET /api/admin/users",
      (h) => plain.get("/api/admin/users", h),
      { read: 403, write: 403, readWrite: 403, ownerAdmin: 200, demotedAdmin: 403, none: 401, bad: 401 },
    ],
    [
      "GET /api/account/tokens",
      (h) => plain.get("/api/account/tokens", h),
      { read: 403, readWrite: 403, ownerAdmin: 403, revoked: 401, none: 401 },
    ],
    [
      "POST /api/account/tokens",
      (h) => plain.post("/api/account/tokens", { ...h, data: { name: "more", scopes: ["read"] } }),
      { readWrite: 403, ownerAdmin: 403, none: 401 },
    ],
    [
      "POST /api/account/password",
      (h) => plain.post("/api/account/password", { ...h, data: { currentPassword: "x", newPassword: "y" } }),
      { readWrite: 403, ownerAdmin: 403, none: 401 },
    ],
    [
      "GET /api/account/sessions",
      (h) => plain.get("/api/account/sessions", h),
      { readWrite: 403, none: 401 },
    ],
    ["GET /api/account/two-factor", (h) => plain.get("/api/account/two-factor", h), { readWrite: 403 }],
  ];
  const all: Record<string, string | null> = { ...tokens, none: null, bad: `bcn_${"x".repeat(43)}` };
  const got: string[] = [];
  const want: string[] = [];
  for (const [label, req, expected] of cases)
    for (const [who, status] of Object.entries(expected)) {
      want.push(`${label} × ${who}: ${status}`);
      got.push(`${label} × ${who}: ${(await req(as(all[who] ?? null))).status()}`);
    }
  expect(got).toEqual(want);
  // A page never accepts a token: it is a redirect to sign-in.
  expect((await plain.get("/settings", as(tokens.readWrite as string))).status()).toBe(307);
  for (const c of [member, demoted, owner, plain]) await c.dispose();
});
