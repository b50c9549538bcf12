// Webhooks (issue 18, items 4–5): Slack payload parsing with field-named 400s, incoming hooks
// through the real send path (secret, revoke, regenerate, read-only rooms, who may manage them),
// outgoing hooks: enqueue in the insert's transaction, signatures a receiver verifies, the SSRF
// guard, the backoff schedule, a real local receiver that is down for a while and then up (every
// webhook-id delivered once), and reply messages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotToken, getBot, listBots } from "@/lib/bots/bots.service";
import { db } from "@/lib/db/client";
import { reloadEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { deleteMessage, sendMessage } from "@/lib/messages/messages.service";
import { updateRoomSettings } from "@/lib/rooms/moderation.service";
import { addMember } from "@/lib/rooms/rooms.service";
import {
  deliverDue,
  pruneDeliveries,
  RETENTION_DAYS,
  retryDelayMs,
  retryWindowMs,
  startWebhookWorker,
} from "@/lib/webhooks/delivery";
import { checkOutboundUrl, safeFetch } from "@/lib/webhooks/safe-fetch";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { cardColor, decodeHookBody, parseHookPayload, slackToMarkdown } from "@/lib/webhooks/slack-payload";
import {
  createIncomingHook,
  createOutgoingHook,
  deleteOutgoingHook,
  hookableRooms,
  listDeliveries,
  listHooks,
  receiveIncoming,
  regenerateIncomingHook,
  revokeIncomingHook,
} from "@/lib/webhooks/webhooks.service";
import { makeRoom, makeUser } from "./helpers/fixtures";

const uuid = () => crypto.randomUUID();

async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a rejection");
}

function throwsApp(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

const secretOf = (path: string) => path.split("/")[3] ?? "";

describe("Slack payloads", () => {
  it("maps every Slack field: text, username, icon_emoji, attachments with fallback/title/text/color/fields", () => {
    const m = parseHookPayload({
      text: "Deploy *finished* <https://ci.example/1|build 1> &amp; ~old~ gone",
      username: "CI Bot",
      icon_emoji: ":ghost:",
      channel: "#ignored",
      attachments: [
        {
          fallback: "Build 1 passed",
          color: "good",
          pretext: "Heads up",
          title: "Build 1",
          title_link: "https://ci.example/1",
          text: "All *green*",
          fields: [
            { title: "Branch", value: "main", short: true },
            { title: "Time", value: "42 s" },
          ],
          footer: "ci",
          mrkdwn_in: ["text"],
        },
        { color: "#FF0000", text: "second", title_link: "javascript:alert(1)" },
      ],
    });
    expect(m.body).toBe("Deploy **finished** [build 1](https://ci.example/1) & ~~old~~ gone");
    expect(m.meta.username).toBe("CI Bot");
    expect(m.meta.icon).toBe("👻");
    expect(m.meta.cards).toEqual([
      {
        color: "#2eb67d",
        pretext: "Heads up",
        title: "Build 1",
        titleLink: "https://ci.example/1",
        text: "All **green**",
        fields: [
          { title: "Branch", value: "main", short: true },
          { title: "Time", value: "42 s", short: false },
        ],
        footer: "ci",
        fallback: "Build 1 passed",
      },
      { color: "#ff0000", text: "second", fields: [] },
    ]);
  });

  it("attachments only: the body is their fallbacks", () => {
    const m = parseHookPayload({
      attachments: [{ fallback: "Disk 91% full", title: "Disk" }, { title: "Other" }],
    });
    expect(m.body).toBe("Disk 91% full\nOther");
  });

  it("accepts payload= forms (Slack), plain forms and JSON, and Beacon's own {text, clientId}", () => {
    const form = `payload=${encodeURIComponent(JSON.stringify({ text: "from a form", username: "x" }))}`;
    expect(parseHookPayload(decodeHookBody("application/x-www-form-urlencoded", form)).body).toBe(
      "from a form",
    );
    expect(parseHookPayload(decodeHookBody(null, form)).meta.username).toBe("x");
    expect(
      parseHookPayload(decodeHookBody("application/x-www-form-urlencoded", "text=plain+form")).body,
    ).toBe("plain form");
    const id = uuid();
    const own = parseHookPayload(
      decodeHookBody("application/json; charset=utf-8", JSON.stringify({ text: "hi", clientId: id })),
    );
    expect(own).toMatchObject({ body: "hi", clientId: id });
    // curl -d '{"text":"x"}' sends a form content type with a JSON body: still JSON.
    expect(
      parseHookPayload(decodeHookBody("application/x-www-form-urlencoded", '{"text":"curl"}')).body,
    ).toBe("curl");
  });

  it("bad payloads are 400 bad_request naming the field", () => {
    const cases: [unknown, string][] = [
      [{}, "text"],
      [{ text: "  " }, "text"],
      [{ text: 42 }, "text"],
      [{ text: "x".repeat(4001) }, "text"],
      [{ text: "x", username: 5 }, "username"],
      [{ text: "x", icon_emoji: "ghost" }, "icon_emoji"],
      [{ text: "x", attachments: "nope" }, "attachments"],
      [{ text: "x", attachments: [{ title: 3 }] }, "attachments.0.title"],
      [{ text: "x", attachments: [{ fields: [{ title: "a", value: 1 }] }] }, "attachments.0.fields.0.value"],
      [{ text: "x", clientId: "nope" }, "clientId"],
      [[1, 2], "payload"],
    ];
    for (const [input, field] of cases) {
      const err = throwsApp(() => parseHookPayload(input));
      expect(err.code).toBe("bad_request");
      expect(err.status).toBe(400);
      expect(err.message.startsWith(`${field}: `)).toBe(true);
      expect(Object.keys(err.extra.fields ?? {})).toContain(field);
    }
    expect(
      throwsApp(() => parseHookPayload({ text: "x", icon_emoji: ":no_such_emoji_zz:" })).message,
    ).toMatch(/^icon_emoji: unknown emoji/);
    expect(throwsApp(() => decodeHookBody("application/json", "{oops")).message).toBe("body: not valid JSON");
    expect(
      throwsApp(() => decodeHookBody("application/x-www-form-urlencoded", "payload=%7Boops")).message,
    ).toBe("payload: not valid JSON");
    expect(throwsApp(() => decodeHookBody("application/json", "")).message).toMatch(/^text: required/);
  });

  it("colours and mrkdwn", () => {
    expect(cardColor("warning")).toBe("#ecb22e");
    expect(cardColor("danger")).toBe("#e01e5a");
    expect(cardColor("36a64f")).toBe("#36a64f");
    expect(cardColor("red; background:url(x)")).toBeUndefined();
    expect(slackToMarkdown("<!here> see <https://x.example>")).toBe("@here see https://x.example");
  });
});

describe("incoming webhooks", () => {
  it("posts as the hook's bot with its meta; revoke and regenerate make old URLs a 404; audited", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createIncomingHook(owner, { roomId: room.id, name: "Deploys" });
    expect(hook.path).toMatch(new RegExp(`^/hooks/${hook.id}/[A-Za-z0-9_-]{32}$`));
    expect(hook.bot.displayName).toBe("Deploys");
    const bot = await db().user.findUniqueOrThrow({ where: { id: hook.bot.id } });
    expect(bot).toMatchObject({ isBot: true, botOwnerId: owner.id, passwordHash: null });

    const secret = secretOf(hook.path);
    const msg = parseHookPayload({
      text: "shipped",
      username: "CI",
      icon_emoji: ":rocket:",
      attachments: [{ title: "v1" }],
    });
    const { message, created } = await receiveIncoming(hook.id, secret, msg);
    expect(created).toBe(true);
    expect(message.author.id).toBe(hook.bot.id);
    expect(message.meta).toMatchObject({
      via: "Deploys",
      username: "CI",
      icon: "🚀",
      cards: [{ title: "v1" }],
    });
    // Stored: history reads it back the same way.
    const stored = await db().message.findUniqueOrThrow({
      where: { id: message.id },
      select: { meta: true, body: true },
    });
    expect(stored).toMatchObject({ body: "shipped", meta: { via: "Deploys", username: "CI" } });

    // Idempotent by clientId.
    const clientId = uuid();
    const a = await receiveIncoming(hook.id, secret, { ...parseHookPayload({ text: "once" }), clientId });
    const b = await receiveIncoming(hook.id, secret, { ...parseHookPayload({ text: "once" }), clientId });
    expect(b).toMatchObject({ created: false, message: { id: a.message.id } });

    expect((await rejects(receiveIncoming(hook.id, "wrong", msg))).code).toBe("not_found");
    expect((await rejects(receiveIncoming(uuid(), secret, msg))).code).toBe("not_found");
    expect((await rejects(receiveIncoming("not-a-uuid", secret, msg))).code).toBe("not_found");

    const regenerated = await regenerateIncomingHook(owner, hook.id);
    expect((await rejects(receiveIncoming(hook.id, secret, msg))).code).toBe("not_found");
    await receiveIncoming(hook.id, secretOf(regenerated.path), msg);
    const revoked = await revokeIncomingHook(owner, hook.id);
    expect(revoked.revoked).toBe(true);
    const e = await rejects(receiveIncoming(hook.id, secretOf(regenerated.path), msg));
    expect(e.code).toBe("not_found");
    expect(e.message).toBe("No such webhook");

    const audit = await db().auditLog.findMany({ where: { targetId: hook.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual([
      "webhook.incoming.create",
      "webhook.incoming.regenerate",
      "webhook.incoming.revoke",
    ]);
  });

  it("read-only rooms refuse the bot unless it is a room moderator; archived rooms refuse it", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createIncomingHook(owner, { roomId: room.id, name: "Alerts" });
    const secret = secretOf(hook.path);
    await updateRoomSettings(owner, room.id, { readOnly: true });
    expect((await rejects(receiveIncoming(hook.id, secret, parseHookPayload({ text: "x" })))).code).toBe(
      "forbidden",
    );
    await db().membership.update({
      where: { roomId_userId: { roomId: room.id, userId: hook.bot.id } },
      data: { role: "moderator" },
    });
    expect((await receiveIncoming(hook.id, secret, parseHookPayload({ text: "x" }))).created).toBe(true);
    await updateRoomSettings(owner, room.id, { archived: true });
    expect((await rejects(receiveIncoming(hook.id, secret, parseHookPayload({ text: "y" })))).code).toBe(
      "forbidden",
    );
  });

  it("only room moderators and admins manage a room's hooks; private rooms stay hidden", async () => {
    const owner = await makeUser("owner");
    const member = await makeUser("member");
    const stranger = await makeUser("stranger");
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(owner);
    const secretRoom = await makeRoom(owner, { isPrivate: true });
    await addMember(owner, room.id, { username: member.username });
    expect((await rejects(createIncomingHook(member, { roomId: room.id, name: "x" }))).code).toBe(
      "forbidden",
    );
    expect((await rejects(createIncomingHook(stranger, { roomId: secretRoom.id, name: "x" }))).code).toBe(
      "not_found",
    );
    // A private room is a 404 to an admin outside it too: a hook would copy it out or seat a bot in it.
    expect((await rejects(createIncomingHook(admin, { roomId: secretRoom.id, name: "by admin" }))).code).toBe(
      "not_found",
    );
    expect((await hookableRooms(admin)).map((r) => r.id)).not.toContain(secretRoom.id);
    const hook = await createIncomingHook(owner, { roomId: secretRoom.id, name: "by owner" });
    expect((await rejects(revokeIncomingHook(member, hook.id))).code).toBe("not_found");
    expect((await rejects(listHooks(member))).code).toBe("forbidden");
    expect((await listHooks(owner, { roomId: secretRoom.id })).incoming.map((h) => h.id)).toEqual([hook.id]);
    const bad = await rejects(createIncomingHook(owner, { roomId: room.id, name: "" }));
    expect(bad.extra.fields?.name).toBeDefined();
  });
});

describe("SSRF guard", () => {
  it("refuses private, loopback and link-local addresses, and names that resolve to them", async () => {
    for (const url of [
      "http://127.0.0.1/x",
      "http://169.254.169.254/latest/meta-data",
      "http://[::1]/x",
      "http://10.1.2.3/x",
      "http://localhost:9/x",
      "http://[::ffff:127.0.0.1]/x",
    ]) {
      const err = await rejects(checkOutboundUrl(url));
      expect(err.code).toBe("bad_request");
      expect(err.message).toMatch(/private, loopback and link-local addresses are refused/);
    }
    expect((await rejects(checkOutboundUrl("ftp://example.com/"))).message).toMatch(/only http/);
    await expect(safeFetch("http://localhost:9/", { body: "x" })).rejects.toMatchObject({
      code: "refused_address",
    });
  });

  it("a hook to 127.0.0.1 is refused without the allow-list and accepted with it", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const input = { name: "Local", url: "http://127.0.0.1:9/hook", roomIds: [room.id] };
    const err = await rejects(createOutgoingHook(owner, input));
    expect(err.code).toBe("bad_request");
    expect(err.extra.fields?.url?.[0]).toMatch(/Private, loopback and link-local/);
    const before = process.env.WEBHOOK_ALLOW_HOSTS;
    process.env.WEBHOOK_ALLOW_HOSTS = "127.0.0.1:9";
    reloadEnv();
    try {
      const hook = await createOutgoingHook(owner, input);
      expect(hook.secret).toMatch(/^whsec_/);
      // Another port of the same host is still refused.
      expect((await rejects(createOutgoingHook(owner, { ...input, url: "http://127.0.0.1:10/" }))).code).toBe(
        "bad_request",
      );
    } finally {
      process.env.WEBHOOK_ALLOW_HOSTS = before;
      reloadEnv();
    }
  });
});

describe("backoff", () => {
  it("10 s, 30 s, 1 min, 5 min, 10 min, 30 min, then hourly; given up after 24 h", () => {
    const base = 10_000;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => retryDelayMs(n, base) / 1000)).toEqual([
      10, 30, 60, 300, 600, 1800, 3600, 3600, 3600,
    ]);
    expect(retryWindowMs(base)).toBe(24 * 3600 * 1000);
  });
});

// ─── outgoing, with a real receiver ───

interface Received {
  id: string;
  body: string;
  verified: boolean;
}

let receiver: Server;
let port = 0;
const received: Received[] = [];
/** What the receiver does: "down" closes the connection, "503" answers 503, "up" verifies and 200s. */
let mode: "up" | "503" | "down" = "up";
let reply: string | null = null;
let secret = "";

beforeAll(async () => {
  receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      if (mode === "down") return req.socket.destroy();
      if (mode === "503") return res.writeHead(503).end("busy");
      const verified = verifyWebhook(
        secret,
        {
          id: req.headers["webhook-id"] as string,
          timestamp: req.headers["webhook-timestamp"] as string,
          signature: req.headers["webhook-signature"] as string,
        },
        body,
      );
      received.push({ id: String(req.headers["webhook-id"]), body, verified });
      if (!verified) return res.writeHead(401).end();
      res.writeHead(200, { "content-type": "application/json" }).end(reply ?? "");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  port = (receiver.address() as AddressInfo).port;
  process.env.WEBHOOK_ALLOW_HOSTS = `127.0.0.1:${port}`;
  process.env.WEBHOOK_RETRY_BASE_MS = "50";
  reloadEnv();
});

afterAll(async () => {
  delete process.env.WEBHOOK_ALLOW_HOSTS;
  delete process.env.WEBHOOK_RETRY_BASE_MS;
  reloadEnv();
  await new Promise((r) => receiver.close(r));
});

/** Run the worker until `done()` or the deadline. */
async function pump(done: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > until) throw new Error("timed out waiting for deliveries");
    await deliverDue();
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("outgoing webhooks", () => {
  it("enqueues in the send's transaction, signs every request, honours trigger words, never loops", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const other = await makeRoom(owner);
    const hook = await createOutgoingHook(owner, {
      name: "Deploy bot",
      url: `http://127.0.0.1:${port}/events`,
      roomIds: [room.id],
      triggerWords: ["!deploy", "!ship"],
    });
    secret = hook.secret;
    mode = "up";
    reply = null;
    const send = (roomId: string, body: string) => sendMessage(owner, { roomId, clientId: uuid(), body });
    const hit = await send(room.id, "!deploy api now");
    await send(room.id, "not a trigger !deploy");
    await send(room.id, "!deployx no");
    await send(other.id, "!deploy elsewhere");
    // Enqueued by the insert itself: already there, before any worker ran.
    const queued = await db().webhookDelivery.findMany({ where: { hookId: hook.id } });
    expect(queued.map((d) => d.messageId)).toEqual([hit.message.id]);
    const start = received.length;
    await pump(() => received.length > start);
    const got = received[start];
    expect(got?.verified).toBe(true);
    expect(got?.id).toBe(queued[0]?.id);
    expect(got?.id).toMatch(/^msg_[0-9a-f]{32}$/);
    const event = JSON.parse(got?.body ?? "{}");
    expect(event).toMatchObject({
      type: "message.created",
      data: {
        hook: { id: hook.id, name: "Deploy bot" },
        triggerWord: "!deploy",
        room: { id: room.id, name: room.name },
        message: { id: hit.message.id, seq: hit.message.seq, text: "!deploy api now" },
        author: { id: owner.id, username: owner.username, isBot: false },
      },
    });
    expect(event.data.message.createdAt).toBe(hit.message.createdAt);
    const [log] = await listDeliveries(owner, hook.id);
    expect(log).toMatchObject({ status: "delivered", attempts: 1, lastStatusCode: 200, lastError: "" });

    // The hook's own bot (its replies) never triggers a delivery.
    await db().membership.upsert({
      where: { roomId_userId: { roomId: room.id, userId: hook.bot.id } },
      create: { roomId: room.id, userId: hook.bot.id },
      update: {},
    });
    await sendMessage({ ...hook.bot }, { roomId: room.id, clientId: uuid(), body: "!deploy from the bot" });
    expect(await db().webhookDelivery.count({ where: { hookId: hook.id } })).toBe(1);

    expect((await deleteOutgoingHook(owner, hook.id)).id).toBe(hook.id);
    await send(room.id, "!deploy after delete");
    expect(await db().webhookDelivery.count({ where: { hookId: hook.id } })).toBe(0);
    const audit = await db().auditLog.findMany({ where: { targetId: hook.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["webhook.outgoing.create", "webhook.outgoing.delete"]);
    const stored = await db().outgoingWebhook.count({ where: { secretSealed: { contains: "whsec_" } } });
    expect(stored).toBe(0);
  });

  it("survives a receiver that is down (refused, then 503) and delivers every webhook-id once", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createOutgoingHook(owner, {
      name: "Flaky",
      url: `http://127.0.0.1:${port}/flaky`,
      roomIds: [room.id],
    });
    secret = hook.secret;
    reply = null;
    mode = "down";
    const start = received.length;
    for (let i = 0; i < 5; i++)
      await sendMessage(owner, { roomId: room.id, clientId: uuid(), body: `event ${i}` });
    // Retries come 50 ms, 150 ms, 300 ms, 1.5 s, 3 s… apart (WEBHOOK_RETRY_BASE_MS=50): down
    // for a while, then answering 503 until a retry has met it, then up.
    // Down (connections dropped) until every delivery has been refused three times…
    await pump(async () => (await listDeliveries(owner, hook.id)).every((d) => d.attempts >= 3));
    const early = await listDeliveries(owner, hook.id);
    expect(early.every((d) => d.status === "pending" && /^network/.test(d.lastError))).toBe(true);
    mode = "503";
    await pump(async () => (await listDeliveries(owner, hook.id)).every((d) => d.lastStatusCode === 503));
    const mid = await listDeliveries(owner, hook.id);
    expect(mid.every((d) => d.status === "pending" && d.lastError === "HTTP 503")).toBe(true);
    expect(received.length).toBe(start);
    mode = "up";
    await pump(
      async () => (await db().webhookDelivery.count({ where: { hookId: hook.id, status: "pending" } })) === 0,
    );
    // A few more rounds: nothing is sent again.
    for (let i = 0; i < 5; i++) await deliverDue();
    const got = received.slice(start);
    expect(got.every((r) => r.verified)).toBe(true);
    const ids = got.map((r) => r.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids.length).toBe(5);
    const log = await listDeliveries(owner, hook.id);
    expect(log.map((d) => d.status)).toEqual(Array(5).fill("delivered"));
    expect(new Set(log.map((d) => d.id))).toEqual(new Set(ids));
    expect(Math.min(...log.map((d) => d.attempts))).toBeGreaterThanOrEqual(5);
  });

  it("gives up after the retry window, and a host that resolves privately at send time is refused_address", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createOutgoingHook(owner, {
      name: "Old",
      url: `http://127.0.0.1:${port}/x`,
      roomIds: [room.id],
    });
    secret = hook.secret;
    mode = "503";
    await sendMessage(owner, { roomId: room.id, clientId: uuid(), body: "late" });
    // The event is older than the window (432 s at a 50 ms base): the next failure is final.
    await db().webhookDelivery.updateMany({
      where: { hookId: hook.id },
      data: { createdAt: new Date(Date.now() - retryWindowMs() - 1000) },
    });
    await pump(
      async () => (await db().webhookDelivery.count({ where: { hookId: hook.id, status: "failed" } })) === 1,
    );
    // DNS "changed": the stored URL now points at a refused address (localhost is not allowed).
    await db().outgoingWebhook.update({ where: { id: hook.id }, data: { url: "http://localhost:9/x" } });
    await sendMessage(owner, { roomId: room.id, clientId: uuid(), body: "rebound" });
    await pump(
      async () => (await db().webhookDelivery.count({ where: { hookId: hook.id, status: "failed" } })) === 2,
    );
    const [latest] = await listDeliveries(owner, hook.id);
    expect(latest?.lastError).toMatch(/^refused_address/);
    expect(latest?.attempts).toBe(1);
    mode = "up";
  });

  it("a 2xx with {text} posts a reply as the hook's bot, once per delivery", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createOutgoingHook(owner, {
      name: "Echo",
      url: `http://127.0.0.1:${port}/echo`,
      roomIds: [room.id],
      triggerWords: ["echo"],
    });
    secret = hook.secret;
    mode = "up";
    reply = JSON.stringify({ text: "pong *loud*", username: "Echo Bot" });
    await sendMessage(owner, { roomId: room.id, clientId: uuid(), body: "echo ping" });
    await pump(
      async () => (await db().message.count({ where: { roomId: room.id, authorId: hook.bot.id } })) === 1,
    );
    const replyMsg = await db().message.findFirstOrThrow({
      where: { roomId: room.id, authorId: hook.bot.id },
    });
    expect(replyMsg.body).toBe("pong **loud**");
    expect(replyMsg.meta).toMatchObject({ via: "Echo", username: "Echo Bot" });
    // Delivered again (at-least-once, e.g. a lease that ran out): the reply is not posted twice.
    await db().webhookDelivery.updateMany({
      where: { hookId: hook.id },
      data: { status: "pending", nextAttemptAt: new Date(0) },
    });
    await pump(
      async () => (await db().webhookDelivery.count({ where: { hookId: hook.id, status: "pending" } })) === 0,
    );
    expect(await db().message.count({ where: { roomId: room.id, authorId: hook.bot.id } })).toBe(1);
    // The reply did not trigger the hook (no loop), though it starts with no trigger word anyway:
    expect(await db().webhookDelivery.count({ where: { hookId: hook.id } })).toBe(1);
    reply = null;
  });
});

describe("webhooks: what outlives a hook or its message", () => {
  it("a hook's bot is not a bot its creator manages: no tokens, not listed", async () => {
    const owner = await makeUser("owner");
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(owner);
    const hook = await createIncomingHook(owner, { roomId: room.id, name: "CI" });
    const bot = await db().incomingWebhook.findUniqueOrThrow({
      where: { id: hook.id },
      select: { botUserId: true },
    });
    for (const who of [owner, admin]) {
      expect((await rejects(createBotToken(who, bot.botUserId, { name: "t", scopes: ["read"] }))).code).toBe(
        "not_found",
      );
      expect((await rejects(getBot(who, bot.botUserId))).code).toBe("not_found");
      expect((await listBots(who)).map((b) => b.id)).not.toContain(bot.botUserId);
    }
    expect(await db().apiToken.count({ where: { userId: bot.botUserId } })).toBe(0);
  });

  it("a message deleted before its delivery is never sent, and its text leaves the log; old rows are pruned", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner);
    const hook = await createOutgoingHook(owner, {
      name: "Copy",
      url: `http://127.0.0.1:${port}/events`,
      roomIds: [room.id],
    });
    secret = hook.secret;
    mode = "up";
    reply = null;
    const { message } = await sendMessage(owner, {
      roomId: room.id,
      clientId: uuid(),
      body: "oops, a password",
    });
    await deleteMessage(owner, { roomId: room.id, messageId: message.id });
    const start = received.length;
    await deliverDue();
    expect(received.slice(start).some((r) => r.body.includes("oops"))).toBe(false);
    const [row] = await db().webhookDelivery.findMany({ where: { hookId: hook.id } });
    expect(row).toMatchObject({ status: "failed", lastError: "not sent: the message was deleted" });
    expect(JSON.stringify(row?.event)).not.toContain("oops");
    const [log] = await listDeliveries(owner, hook.id);
    expect(log?.snippet).toBe("");

    // Finished rows older than the retention window go; pending and recent ones stay.
    const later = new Date(Date.now() + (RETENTION_DAYS + 1) * 86_400_000);
    await db().webhookDelivery.create({
      data: {
        id: `msg_${uuid().replaceAll("-", "")}`,
        hookId: hook.id,
        roomId: room.id,
        messageId: message.id,
        event: {},
      },
    });
    expect(await pruneDeliveries(later)).toBeGreaterThanOrEqual(1);
    const left = await db().webhookDelivery.findMany({ where: { hookId: hook.id } });
    expect(left.map((d) => d.status)).toEqual(["pending"]);
  });

  it("safeFetch bounds the whole exchange: a receiver that trickles bytes cannot hold a delivery", async () => {
    const slow = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const t = setInterval(() => res.write("."), 100);
      res.on("close", () => clearInterval(t));
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    const slowPort = (slow.address() as AddressInfo).port;
    const before = process.env.WEBHOOK_ALLOW_HOSTS;
    process.env.WEBHOOK_ALLOW_HOSTS = `${before},127.0.0.1:${slowPort}`;
    reloadEnv();
    try {
      const t0 = Date.now();
      const err = await safeFetch(`http://127.0.0.1:${slowPort}/`, { body: "{}", timeoutMs: 600 }).then(
        () => null,
        (e: unknown) => e as { code?: string },
      );
      expect(err?.code).toBe("timeout");
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      process.env.WEBHOOK_ALLOW_HOSTS = before;
      reloadEnv();
      await new Promise((r) => slow.close(r));
    }
  });
});

describe("webhooks: a receiver that is down for a whole minute", () => {
  it("the running worker retries with backoff and delivers each event once when it is back", {
    timeout: 150_000,
  }, async () => {
    // A port with nothing listening (connection refused) for 60 s, then a receiver on it.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const downPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const before = process.env.WEBHOOK_ALLOW_HOSTS;
    process.env.WEBHOOK_ALLOW_HOSTS = `${before},127.0.0.1:${downPort}`;
    reloadEnv();
    const got: { id: string; verified: boolean }[] = [];
    let back: Server | undefined;
    const stop = startWebhookWorker({ everyMs: 200 });
    try {
      const owner = await makeUser("owner");
      const room = await makeRoom(owner);
      const hook = await createOutgoingHook(owner, {
        name: "Away",
        url: `http://127.0.0.1:${downPort}/events`,
        roomIds: [room.id],
      });
      for (let i = 0; i < 3; i++)
        await sendMessage(owner, { roomId: room.id, clientId: uuid(), body: `while away ${i}` });
      const downSince = Date.now();
      await new Promise((r) => setTimeout(r, 60_000));
      const during = await listDeliveries(owner, hook.id);
      // Retried meanwhile (50 ms base: 50 ms, 150 ms, 300 ms, 1.5 s, 3 s, 9 s, 18 s…), never given up.
      expect(
        during.every((d) => d.status === "pending" && d.attempts >= 5 && /^network/.test(d.lastError)),
      ).toBe(true);
      back = createServer((req, res) => {
        let body = "";
        req.on("data", (c: Buffer) => {
          body += c.toString("utf8");
        });
        req.on("end", () => {
          const id = String(req.headers["webhook-id"]);
          got.push({
            id,
            verified: verifyWebhook(
              hook.secret,
              {
                id,
                timestamp: req.headers["webhook-timestamp"] as string,
                signature: req.headers["webhook-signature"] as string,
              },
              body,
            ),
          });
          res.writeHead(200).end();
        });
      });
      await new Promise<void>((r) => back?.listen(downPort, "127.0.0.1", r));
      const until = Date.now() + 60_000;
      while ((await db().webhookDelivery.count({ where: { hookId: hook.id, status: "pending" } })) > 0) {
        if (Date.now() > until) throw new Error("not delivered within a minute of coming back");
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(Date.now() - downSince).toBeGreaterThanOrEqual(60_000);
      expect(got.every((g) => g.verified)).toBe(true);
      expect(new Set(got.map((g) => g.id)).size).toBe(3);
      expect(got.length).toBe(3); // once per webhook-id
      const log = await listDeliveries(owner, hook.id);
      expect(log.map((d) => d.status)).toEqual(["delivered", "delivered", "delivered"]);
    } finally {
      await stop();
      await new Promise((r) => (back ? back.close(r) : r(undefined)));
      process.env.WEBHOOK_ALLOW_HOSTS = before;
      reloadEnv();
    }
  });
});
