// Personal access tokens (issue 18, item 2): only a hash is stored, expiry, revocation, last use;
// the token × route authorization matrix as API routes run it (lib/auth/session.ts, with each
// route's real LIMITS key); and sockets opened with `auth: { token }`: scopes per event, a revoke
// closing the open socket with the reason the client sees (on every node), expired tokens refused.
import { createHash } from "node:crypto";
import { io as connect } from "socket.io-client";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { apiUserFrom } from "@/lib/auth/session";
import { db, disconnectDb } from "@/lib/db/client";
import { toAppError } from "@/lib/errors";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { RequestKind } from "@/lib/ratelimit/limits";
import { endSessionSockets } from "@/lib/realtime/server/registry";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { TOKEN_PREFIX } from "@/lib/tokens/tokens.schema";
import {
  authenticateToken,
  createToken,
  listTokens,
  MAX_TOKENS_PER_USER,
  revokeToken,
  tokenSid,
} from "@/lib/tokens/tokens.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connected, startRealtime, startTwoNodes, type TestClient } from "./helpers/realtime";
import { externalRedisUrl } from "./helpers/services";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
afterAll(async () => {
  await disconnectDb();
});

const secret = () => process.env.NEXTAUTH_SECRET as string;

/** A route's token check as requireApiUser runs it: "ok", or the status and message it answers. */
async function asRoute(bearer: string | null, limit: RequestKind): Promise<string> {
  try {
    await apiUserFrom({ cookies: {}, bearer }, secret(), limit);
    return "ok";
  } catch (err) {
    const e = toAppError(err);
    return `${e.status} ${e.message}`;
  }
}

function tokenSocket(url: string, token: string): TestClient {
  return connect(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
}

async function tokenHandshake(url: string, token: string): Promise<string> {
  const s = tokenSocket(url, token);
  try {
    await connected(s);
    return "connected";
  } catch (err) {
    return (err as Error).message;
  } finally {
    s.close();
  }
}

function closedByServer(
  s: TestClient,
  ms = 5000,
): Promise<{ reason: string; message: string; disconnect: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms);
    let closing = { reason: "(none)", message: "" };
    s.once("socket:closing", (c) => {
      closing = c;
    });
    s.once("disconnect", (why) => {
      clearTimeout(timer);
      resolve({ ...closing, disconnect: why });
    });
  });
}

describe("the tokens service", () => {
  it("stores only the SHA-256 of a token, shows the token once and lists it without it", async () => {
    const u = await makeUser("tok");
    const created = await createToken(u, { name: "ci", scopes: ["read", "read", "write"] });
    expect(created.token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(created.scopes).toEqual(["read", "write"]);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(createHash("sha256").update(created.token).digest("hex"));
    // The token itself is in no column of its row.
    expect(JSON.stringify(row)).not.toContain(created.token);
    const [listed] = await listTokens(u.id);
    expect(listed).toMatchObject({ id: created.id, name: "ci", scopes: ["read", "write"], expiresAt: null });
    expect(listed).not.toHaveProperty("token");
    const auth = await authenticateToken(created.token);
    expect(auth).toMatchObject({ tokenId: created.id, user: { id: u.id, isBot: false } });
    // One character off is nobody.
    expect(await authenticateToken(`${created.token.slice(0, -1)}x`)).toBeNull();
  });

  it("refuses bad input with readable messages, and the admin scope for a non-admin", async () => {
    const u = await makeUser("tokbad");
    await expect(createToken(u, { name: " ", scopes: ["read"] })).rejects.toMatchObject({
      code: "validation",
      extra: { fields: { name: ["Give the token a name"] } },
    });
    await expect(createToken(u, { name: "x", scopes: [] })).rejects.toMatchObject({
      extra: { fields: { scopes: ["Choose at least one scope"] } },
    });
    await expect(createToken(u, { name: "x", scopes: ["root"] })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(createToken(u, { name: "x", scopes: ["admin"] })).rejects.toMatchObject({
      code: "forbidden",
      message: 'Only admins can create a token with the "admin" scope',
    });
    const admin = await makeUser("tokadm", "admin");
    expect((await createToken(admin, { name: "ops", scopes: ["admin"] })).scopes).toEqual(["admin"]);
  });

  it("keeps at most MAX_TOKENS_PER_USER live tokens", async () => {
    const u = await makeUser("tokcap");
    await db().apiToken.createMany({
      data: Array.from({ length: MAX_TOKENS_PER_USER }, (_, i) => ({
        userId: u.id,
        name: `t${i}`,
        tokenHash: `cap-${u.id}-${i}`,
        prefix: "bcn_xx",
        scopes: ["read"],
      })),
    });
    await expect(createToken(u, { name: "one more", scopes: ["read"] })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("expires: an expiry in days is stored, and a token past it is refused and no longer listed", async () => {
    const u = await makeUser("tokexp");
    const t = await createToken(u, { name: "week", scopes: ["read"], expiresInDays: 7 });
    const days = (new Date(t.expiresAt as string).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    expect(await authenticateToken(t.token)).not.toBeNull();
    await db().apiToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await authenticateToken(t.token)).toBeNull();
    expect(await listTokens(u.id)).toEqual([]);
  });

  it("revokes at once; only the token's own user can, and only once", async () => {
    const u = await makeUser("tokrev");
    const other = await makeUser("tokoth");
    const t = await createToken(u, { name: "rev", scopes: ["read"] });
    await expect(revokeToken(other.id, t.id)).rejects.toMatchObject({ code: "not_found" });
    expect(await authenticateToken(t.token)).not.toBeNull();
    expect(await revokeToken(u.id, t.id)).toEqual({ id: t.id });
    expect(await authenticateToken(t.token)).toBeNull();
    await expect(revokeToken(u.id, t.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeToken(u.id, "not-a-uuid")).rejects.toMatchObject({ code: "validation" });
  });

  it("records when and from where a token was last used", async () => {
    const u = await makeUser("tokused");
    const t = await createToken(u, { name: "used", scopes: ["read"] });
    expect((await listTokens(u.id))[0]).toMatchObject({ lastUsedAt: null, lastUsedIp: "" });
    await authenticateToken(t.token, "198.51.100.23");
    // Recorded in the background (never awaited by the request).
    await expect
      .poll(async () => (await listTokens(u.id))[0]?.lastUsedIp, { timeout: 3000 })
      .toBe("198.51.100.23");
    const used = (await listTokens(u.id))[0];
    expect(Math.abs(Date.now() - new Date(used?.lastUsedAt as string).getTime())).toBeLessThan(10_000);
  });

  it("stops working when its user is deactivated", async () => {
    const u = await makeUser("tokdeact");
    const t = await createToken(u, { name: "d", scopes: ["read"] });
    await db().user.update({ where: { id: u.id }, data: { deactivatedAt: new Date() } });
    expect(await authenticateToken(t.token)).toBeNull();
  });
});

describe("token scopes × routes (the authorization matrix, as routes check a Bearer token)", () => {
  it("gives each token exactly what its scopes and its user's role allow", async () => {
    const member = await makeUser("mxmem");
    const admin = await makeUser("mxadm", "admin");
    const read = (await createToken(member, { name: "r", scopes: ["read"] })).token;
    const write = (await createToken(member, { name: "w", scopes: ["write"] })).token;
    const rw = (await createToken(member, { name: "rw", scopes: ["read", "write"] })).token;
    const all = (await createToken(admin, { name: "all", scopes: ["read", "write", "admin"] })).token;
    const adminOnly = (await createToken(admin, { name: "adm", scopes: ["admin"] })).token;
    // An admin-scoped token of someone who is no longer an admin.
    const demoted = await makeUser("mxdem", "admin");
    const stale = (await createToken(demoted, { name: "stale", scopes: ["read", "write", "admin"] })).token;
    await db().user.update({ where: { id: demoted.id }, data: { role: "member" } });

    const noWrite = '403 This token does not have the "write" scope';
    const noRead = '403 This token does not have the "read" scope';
    const noAdmin = '403 This token does not have the "admin" scope';
    const sessionOnly = "403 This needs a signed-in browser session, not an API token";
    const routes: [RequestKind, Record<string, string>][] = [
      ["GET /api/rooms", { read: "ok", write: noRead, rw: "ok", all: "ok", adminOnly: noRead, stale: "ok" }],
      [
        "GET /api/rooms/:roomId/messages",
        { read: "ok", write: noRead, rw: "ok", all: "ok", adminOnly: noRead },
      ],
      ["GET /api/search", { read: "ok", write: noRead, rw: "ok" }],
      ["POST /api/rooms", { read: noWrite, write: "ok", rw: "ok", all: "ok", adminOnly: noWrite }],
      ["POST /api/files", { read: noWrite, write: "ok", rw: "ok" }],
      ["PATCH /api/account/profile", { read: noWrite, write: "ok", rw: "ok" }],
      // Invite links last beyond a token's revocation: admin scope (and an admin) only.
      ["POST /api/invites", { read: noAdmin, write: noAdmin, rw: noAdmin, all: "ok" }],
      ["DELETE /api/invites/:id", { rw: noAdmin, all: "ok" }],
      ["POST /api/invites/:token/accept", { read: noWrite, write: "ok" }],
      [
        "GET /api/admin/users",
        {
          read: noAdmin,
          write: noAdmin,
          rw: noAdmin,
          all: "ok",
          adminOnly: "ok",
          stale: "403 Only admins can do that",
        },
      ],
      ["PATCH /api/admin/users/:id", { rw: noAdmin, all: "ok", stale: "403 Only admins can do that" }],
      ["PATCH /api/admin/settings", { write: noAdmin, all: "ok" }],
      // The account's own security and tokens: a browser session only, whatever the scopes.
      ...(
        [
          "POST /api/account/password",
          "POST /api/account/sign-out-everywhere",
          "GET /api/account/two-factor",
          "POST /api/account/two-factor",
          "GET /api/account/sessions",
          "DELETE /api/account/sessions/:sid",
          "DELETE /api/account/sign-in-methods/:provider",
          "GET /api/account/tokens",
          "POST /api/account/tokens",
          "DELETE /api/account/tokens/:id",
          "GET /api/bots/:id/tokens",
          "POST /api/bots/:id/tokens",
          "DELETE /api/bots/:id/tokens/:tokenId",
          // Bots and webhooks make credentials (and a hook copies messages out): sessions only.
          "GET /api/bots",
          "POST /api/bots",
          "PATCH /api/bots/:id",
          "DELETE /api/bots/:id",
          "POST /api/webhooks/incoming",
          "POST /api/webhooks/outgoing",
          "GET /api/webhooks",
        ] as RequestKind[]
      ).map((r): [RequestKind, Record<string, string>] => [
        r,
        { read: sessionOnly, rw: sessionOnly, all: sessionOnly },
      ]),
    ];
    const tokens: Record<string, string> = { read, write, rw, all, adminOnly, stale };
    const got: string[] = [];
    const want: string[] = [];
    for (const [route, expected] of routes)
      for (const [name, outcome] of Object.entries(expected)) {
        want.push(`${route} × ${name}: ${outcome}`);
        got.push(`${route} × ${name}: ${await asRoute(tokens[name] as string, route)}`);
      }
    expect(got).toEqual(want);
  });

  it("answers 401 for no token, a malformed one, an unknown one, a revoked one and an expired one", async () => {
    const u = await makeUser("mx401");
    const revoked = await createToken(u, { name: "gone", scopes: ["read"] });
    await revokeToken(u.id, revoked.id);
    const expired = await createToken(u, { name: "old", scopes: ["read"], expiresInDays: 1 });
    await db().apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const invalid = "401 This token is not valid (unknown, expired or revoked)";
    expect(await asRoute(null, "GET /api/rooms")).toBe("401 Sign in to continue");
    expect(await asRoute("not-a-token", "GET /api/rooms")).toBe(invalid);
    expect(await asRoute(`${TOKEN_PREFIX}${"A".repeat(43)}`, "GET /api/rooms")).toBe(invalid);
    expect(await asRoute(revoked.token, "GET /api/rooms")).toBe(invalid);
    expect(await asRoute(expired.token, "GET /api/rooms")).toBe(invalid);
    // Even on session-only routes, a bad token is a 401 (not a hint that the route exists for tokens).
    expect(await asRoute(revoked.token, "GET /api/account/tokens")).toBe(invalid);
  });
});

describe("sockets opened with a token", () => {
  async function setUp() {
    const rt = await startRealtime();
    cleanup.push(() => rt.close());
    const owner = await makeUser("sockown");
    const user = await makeUser("socktok");
    const room = await makeRoom(owner);
    await joinRoom(user, room.id);
    const other = await makeRoom(owner); // public, user is not a member
    return { rt, owner, user, room, other };
  }

  async function open(url: string, token: string): Promise<TestClient> {
    const s = tokenSocket(url, token);
    cleanup.push(async () => void s.close());
    await connected(s);
    return s;
  }

  it("a read-only token reads its rooms; every other event is refused with the scope it lacks", async () => {
    const { rt, user, room, other } = await setUp();
    const { token } = await createToken(user, { name: "reader", scopes: ["read"] });
    const s = await open(rt.url, token);
    const forbidden = {
      ok: false,
      error: { code: "forbidden", message: 'This token does not have the "write" scope' },
    };
    expect((await call(s, "room:join", { roomId: room.id })).ok).toBe(true);
    expect((await call(s, "message:list", { roomId: room.id })).ok).toBe(true);
    expect(
      (await call(s, "message:changes", { roomId: room.id, sinceRev: 0, fromSeq: 0, toSeq: 0 })).ok,
    ).toBe(true);
    expect((await call(s, "presence:list", { roomId: room.id })).ok).toBe(true);
    expect(await call(s, "room:join", { roomId: other.id })).toEqual(forbidden);
    expect(
      await call(s, "message:send", { roomId: room.id, clientId: crypto.randomUUID(), body: "hello" }),
    ).toEqual(forbidden);
    expect(await call(s, "typing:start", { roomId: room.id })).toEqual(forbidden);
    expect(await call(s, "room:read", { roomId: room.id, seq: 1 })).toEqual(forbidden);
    expect(await call(s, "presence:set", { state: "active" })).toEqual(forbidden);
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(0);
  });

  it("a write token sends like the browser; without read it cannot list", async () => {
    const { rt, user, room } = await setUp();
    const { token } = await createToken(user, { name: "writer", scopes: ["write"] });
    const s = await open(rt.url, token);
    const sent = await call<ChatMessage>(s, "message:send", {
      roomId: room.id,
      clientId: crypto.randomUUID(),
      body: "from a script",
    });
    expect(sent).toMatchObject({ ok: true, data: { body: "from a script", author: { id: user.id } } });
    expect(await call(s, "message:list", { roomId: room.id })).toEqual({
      ok: false,
      error: { code: "forbidden", message: 'This token does not have the "read" scope' },
    });
  });

  it("revoking the token closes its open socket with token_revoked, and it cannot reconnect", async () => {
    const { rt, user } = await setUp();
    const t = await createToken(user, { name: "rev", scopes: ["read", "write"] });
    const keep = await createToken(user, { name: "keep", scopes: ["read"] });
    const s = await open(rt.url, t.token);
    const untouched = await open(rt.url, keep.token);
    const closed = closedByServer(s);
    // What DELETE /api/account/tokens/:id does.
    await revokeToken(user.id, t.id);
    endSessionSockets(tokenSid(t.id), "token_revoked");
    expect(await closed).toEqual({
      reason: "token_revoked",
      message: "The API token this connection was opened with was revoked.",
      disconnect: "io server disconnect",
    });
    expect(await tokenHandshake(rt.url, t.token)).toBe("unauthorized");
    // Another token of the same user is not affected.
    await new Promise((r) => setTimeout(r, 100));
    expect(untouched.connected).toBe(true);
  });

  it("refuses an expired, revoked or unknown token at the handshake", async () => {
    const { rt, user } = await setUp();
    const t = await createToken(user, { name: "exp", scopes: ["read"], expiresInDays: 1 });
    expect(await tokenHandshake(rt.url, t.token)).toBe("connected");
    await db().apiToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await tokenHandshake(rt.url, t.token)).toBe("unauthorized");
    expect(await tokenHandshake(rt.url, `${TOKEN_PREFIX}${"b".repeat(43)}`)).toBe("unauthorized");
    expect(await tokenHandshake(rt.url, "garbage")).toBe("unauthorized");
  });

  it("a revoke closes the token's socket on another node too", async () => {
    const redisUrl = externalRedisUrl();
    if (!redisUrl) return;
    const cluster = await startTwoNodes(redisUrl);
    cleanup.push(() => cluster.close());
    const user = await makeUser("socknode");
    const t = await createToken(user, { name: "n", scopes: ["read"] });
    // The socket is on node 0; the registry (realtime()) is node 1, the last one started.
    const s = await open(cluster.nodes[0].url, t.token);
    const closed = closedByServer(s);
    await revokeToken(user.id, t.id);
    endSessionSockets(tokenSid(t.id), "token_revoked");
    expect((await closed).reason).toBe("token_revoked");
  });
});
