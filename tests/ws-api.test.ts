// The plain WebSocket API (/api/v1/ws) with the `ws` package as the client: auth (token in header,
// query or first frame; same-origin cookie), acks by id, live pushes, catch-up after a reconnect,
// closes with codes (bad token, revoked token), frame errors, and two nodes through Redis.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import { sessionChannel } from "@/lib/realtime/events";
import { closeSockets, endSessionSockets } from "@/lib/realtime/server/registry";
import { WS_CLOSE } from "@/lib/realtime/server/ws-api";
import { addMember } from "@/lib/rooms/rooms.service";
import { createToken, revokeToken, tokenSid } from "@/lib/tokens/tokens.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import {
  call,
  connectAs,
  connected,
  nextEvent,
  sessionCookie,
  startRealtime,
  startTwoNodes,
  type TestClient,
} from "./helpers/realtime";
import { externalRedisUrl } from "./helpers/services";
import { openWs, type WsTestClient, wsUrl } from "./helpers/ws-client";

let server: Awaited<ReturnType<typeof startRealtime>>;
const open: (WsTestClient | TestClient)[] = [];

function track<T extends WsTestClient | TestClient>(c: T): T {
  open.push(c);
  return c;
}

async function tokenFor(user: SessionUser, scopes: ("read" | "write")[] = ["read", "write"]) {
  return createToken(user, { name: "ws test", scopes });
}

async function ready(c: WsTestClient) {
  return c.nextPush<{ user: SessionUser | null; scopes: string[] | null }>("ready", 5000);
}

beforeAll(async () => {
  server = await startRealtime();
});

afterAll(async () => {
  for (const c of open) c.close();
  await server.close();
});

describe("plain WebSocket API: authentication", () => {
  it("accepts a token in the Authorization header and says who it is", async () => {
    const ana = await makeUser("ana");
    const { token } = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${token}` } }));
    const r = await ready(c);
    expect(r.user?.id).toBe(ana.id);
    expect(r.scopes).toEqual(["read", "write"]);
  });

  it("accepts a token in the query and in a first {type:'auth'} frame", async () => {
    const ana = await makeUser("ana");
    const { token } = await tokenFor(ana);
    const q = track(openWs(wsUrl(server.url, `?token=${encodeURIComponent(token)}`)));
    expect((await ready(q)).user?.id).toBe(ana.id);
    const f = track(openWs(wsUrl(server.url)));
    await new Promise((r) => f.ws.once("open", r));
    f.ws.send(JSON.stringify({ type: "auth", token }));
    expect((await ready(f)).user?.id).toBe(ana.id);
  });

  it("closes with 4401 'unauthorized' for a bad token, and for a first frame that is not auth", async () => {
    const bad = track(openWs(wsUrl(server.url, "?token=bcn_notarealtokennotarealtokennotarealtoken00")));
    expect(await bad.closed).toEqual({ code: WS_CLOSE.unauthorized, reason: "unauthorized" });
    const noAuth = track(openWs(wsUrl(server.url)));
    await new Promise((r) => noAuth.ws.once("open", r));
    noAuth.ws.send(JSON.stringify({ id: 1, event: "room:join", data: {} }));
    expect(await noAuth.closed).toEqual({ code: WS_CLOSE.unauthorized, reason: "unauthorized" });
  });

  it("accepts the session cookie from the app's own origin, and ignores it from another origin", async () => {
    const ana = await makeUser("ana");
    const cookie = await sessionCookie(ana);
    const host = new URL(server.url).host;
    const same = track(openWs(wsUrl(server.url), { headers: { cookie, origin: `http://${host}` } }));
    expect((await ready(same)).user?.id).toBe(ana.id);
    // Cross-site WebSocket hijacking: the cookie does not count; the socket waits for a token frame.
    const cross = track(openWs(wsUrl(server.url), { headers: { cookie, origin: "https://evil.example" } }));
    await new Promise((r) => cross.ws.once("open", r));
    cross.ws.send(JSON.stringify({ id: 1, event: "room:join", data: {} }));
    expect((await cross.closed).code).toBe(WS_CLOSE.unauthorized);
  });

  it("a revoked token's connection is closed with 4004 'token_revoked' (after a socket:closing push)", async () => {
    const ana = await makeUser("ana");
    const t = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${t.token}` } }));
    await ready(c);
    await revokeToken(ana.id, t.id);
    endSessionSockets(tokenSid(t.id), "token_revoked");
    const closing = await c.nextPush<{ reason: string }>("socket:closing");
    expect(closing.reason).toBe("token_revoked");
    expect(await c.closed).toEqual({ code: WS_CLOSE.token_revoked, reason: "token_revoked" });
    // And it cannot come back.
    const again = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${t.token}` } }));
    expect((await again.closed).code).toBe(WS_CLOSE.unauthorized);
  });
});

describe("plain WebSocket API: events", () => {
  it("sends with an ack by id, and receives another user's message live", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const { token } = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${token}` } }));
    // Sent before "ready": held until the bridge is connected, then answered.
    const clientId = randomUUID();
    const sent = await c.request<ChatMessage>("message:send", {
      roomId: room.id,
      clientId,
      body: "hi from ws",
    });
    expect(sent).toMatchObject({ ok: true, data: { body: "hi from ws", clientId, seq: 1 } });

    const b = track(await connectAs(server.url, bo));
    await connected(b);
    const live = c.nextPush<ChatMessage>("message:new");
    const fromBo = await call<ChatMessage>(b, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "hello ws",
    });
    expect(fromBo.ok).toBe(true);
    expect(await live).toMatchObject({ body: "hello ws", author: { id: bo.id }, seq: 2 });
    // And bo hears ana's WebSocket sends like any other.
    const heard = nextEvent<ChatMessage>(b, "message:new");
    await c.request("message:send", { roomId: room.id, clientId: randomUUID(), body: "back at you" });
    expect((await heard).body).toBe("back at you");
  });

  it("answers errors in the ack shape: validation, not found, unknown event, bad frames", async () => {
    const ana = await makeUser("ana");
    const { token } = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${token}` } }));
    await ready(c);
    const invalid = await c.request("message:send", { roomId: "nope", clientId: randomUUID(), body: "x" });
    expect(invalid).toMatchObject({ ok: false, error: { code: "validation" } });
    const hidden = await c.request("room:join", { roomId: randomUUID() });
    expect(hidden).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await c.request("no:such", {})).toMatchObject({
      ok: false,
      error: { code: "bad_request", message: "Unknown event" },
    });
    const answer = new Promise<string>((r) => c.ws.once("message", (m) => r(String(m))));
    c.ws.send("not json");
    expect(JSON.parse(await answer)).toEqual({
      id: null,
      ok: false,
      error: { code: "bad_request", message: "Frames must be JSON: {id, event, data}" },
    });
    expect(await c.request("ping")).toEqual({ id: expect.any(String), ok: true, data: "pong" });
  });

  it("closing the WebSocket closes its bridged Socket.IO connection (and presence sees it go)", async () => {
    const ana = await makeUser("ana");
    const { token } = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url, `?token=${token}`)));
    await ready(c);
    const mine = () => [...server.io.of("/").sockets.values()].filter((s) => s.data.user?.id === ana.id);
    expect(mine()).toHaveLength(1);
    expect(mine()[0]?.data.sid).toMatch(/^tok_/);
    c.close();
    await c.closed;
    for (let i = 0; i < 50 && mine().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(mine()).toHaveLength(0);
  });

  it("closes with 1009 for a frame over the payload cap", async () => {
    const ana = await makeUser("ana");
    const { token } = await tokenFor(ana);
    const c = track(openWs(wsUrl(server.url), { headers: { authorization: `Bearer ${token}` } }));
    await ready(c);
    c.ws.send(JSON.stringify({ id: 1, event: "message:send", data: { body: "x".repeat(70_000) } }));
    expect((await c.closed).code).toBe(1009);
  });

  it("catches up after a reconnect with message:list {after} and message:changes", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const { token } = await tokenFor(bo);
    const url = wsUrl(server.url, `?token=${token}`);
    const first = track(openWs(url));
    const joined = await first.request<{ lastSeq: number }>("room:join", { roomId: room.id });
    expect(joined.ok).toBe(true);
    const a = track(await connectAs(server.url, ana));
    await connected(a);
    const m1 = await call<ChatMessage>(a, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "one",
    });
    await first.nextPush("message:new");
    first.close();
    await first.closed;
    // While bo is away: two more messages, and the first one is edited.
    await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "two" });
    await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "three" });
    if (!m1.ok) throw new Error("send failed");
    await call(a, "message:edit", { roomId: room.id, messageId: m1.data.id, body: "one (edited)" });

    const second = track(openWs(url));
    const page = await second.request<MessagePage>("message:list", { roomId: room.id, after: 1 });
    expect(page.data?.messages.map((m) => m.body)).toEqual(["two", "three"]);
    const changes = await second.request<{ messages: ChatMessage[] }>("message:changes", {
      roomId: room.id,
      sinceRev: 0,
      fromSeq: 1,
      toSeq: 1,
    });
    expect(changes.data?.messages.map((m) => m.body)).toEqual(["one (edited)"]);
  });
});

describe("examples/ws-client.mjs", () => {
  it("follows a room (catching up first), prints live messages and sends typed lines", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const a = track(await connectAs(server.url, ana));
    await connected(a);
    await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "before you came" });
    const { token } = await tokenFor(bo);
    const child = spawn(process.execPath, ["examples/ws-client.mjs"], {
      env: { ...process.env, BEACON_URL: server.url, BEACON_TOKEN: token, BEACON_ROOM: room.id },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const seen = (text: string) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" in:\n${out}`)), 8000);
        const check = () => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          resolve();
        };
        child.stdout.on("data", check);
        child.stderr.on("data", check);
        check();
      });
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    try {
      await seen(`joined #${room.name} as @${bo.username}`);
      await seen("#1 ana");
      await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "live one" });
      await seen(": live one");
      const heard = nextEvent<ChatMessage>(a, "message:new");
      child.stdin.write("typed on stdin\n");
      expect(await heard).toMatchObject({ body: "typed on stdin", author: { id: bo.id }, seq: 3 });
      await seen("#3 bo");
    } finally {
      child.kill();
    }
  });
});

describe("plain WebSocket API: several nodes", () => {
  const redisUrl = externalRedisUrl();
  it.skipIf(!redisUrl)("a message sent through node 1 reaches a WebSocket client of node 2", async () => {
    const cluster = await startTwoNodes(redisUrl as string);
    try {
      const [n1, n2] = cluster.nodes;
      const ana = await makeUser("ana");
      const bo = await makeUser("bo");
      const room = await makeRoom(ana);
      await addMember(ana, room.id, { username: bo.username });
      const t = await tokenFor(bo);
      const c = track(openWs(wsUrl(n2.url, `?token=${t.token}`)));
      await ready(c);
      const a = track(await connectAs(n1.url, ana));
      await connected(a);
      const live = c.nextPush<ChatMessage>("message:new", 5000);
      await call(a, "message:send", { roomId: room.id, clientId: randomUUID(), body: "across nodes" });
      expect((await live).body).toBe("across nodes");
      // A revoke handled by node 1 closes the WebSocket client on node 2.
      await revokeToken(bo.id, t.id);
      closeSockets(n1.io, sessionChannel(tokenSid(t.id)), "token_revoked");
      expect(await c.closed).toEqual({ code: WS_CLOSE.token_revoked, reason: "token_revoked" });
      a.close();
    } finally {
      await cluster.close();
    }
  });
});
