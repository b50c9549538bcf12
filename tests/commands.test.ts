// Slash commands over real sockets: each built-in with its permissions, unknown commands (nothing
// stored), the "//" escape, and custom commands round-tripping to a local receiver that verifies the
// Standard Webhooks signature (visible and ephemeral answers, errors, timeout).
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandInfo, CommandOutcome } from "@/lib/commands/commands.schema";
import { parseComposerText } from "@/lib/commands/commands.schema";
import { createSlashCommand, deleteSlashCommand, listSlashCommands } from "@/lib/commands/commands.service";
import { db } from "@/lib/db/client";
import { reloadEnv } from "@/lib/env";
import type { ChatMessage, MessagePage } from "@/lib/messages/messages.schema";
import type { RoomUpdate } from "@/lib/rooms/moderation.schema";
import { banMember } from "@/lib/rooms/moderation.service";
import { addMember, getRoomForViewer } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { verifyWebhook } from "@/lib/webhooks/signature";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, nextEvent, startRealtime, type TestClient } from "./helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
const clients: TestClient[] = [];

async function client(user: SessionUser) {
  const s = await connectAs(server.url, user);
  clients.push(s);
  await connected(s);
  return s;
}

const run = (s: TestClient, roomId: string, text: string, clientId = randomUUID()) =>
  call<CommandOutcome>(s, "command:run", { roomId, text, clientId });

beforeAll(async () => {
  server = await startRealtime();
});

afterAll(async () => {
  for (const c of clients) c.disconnect();
  await server.close();
});

describe("composer text", () => {
  it("reads /name args as a command, //text as the literal message /text, and the rest as messages", () => {
    expect(parseComposerText("/topic Release day")).toEqual({
      type: "command",
      name: "topic",
      args: "Release day",
    });
    expect(parseComposerText("/ME  waves")).toEqual({ type: "command", name: "me", args: "waves" });
    expect(parseComposerText("//foo bar")).toEqual({ type: "message", body: "/foo bar" });
    expect(parseComposerText("hello /me")).toEqual({ type: "message", body: "hello /me" });
    expect(parseComposerText("/")).toEqual({ type: "command", name: "", args: "" });
  });
});

describe("built-in commands", () => {
  it("/me stores an action message that the whole room (sender's tabs included) gets live", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const a = await client(ana);
    const b = await client(bo);
    const heard = nextEvent<ChatMessage>(b, "message:new");
    const echoed = nextEvent<ChatMessage>(a, "message:new");
    const r = await run(a, room.id, "/me waves");
    expect(r).toMatchObject({
      ok: true,
      data: { command: "me", message: { body: "waves", kind: "action" } },
    });
    expect(await heard).toMatchObject({ body: "waves", kind: "action", author: { id: ana.id } });
    expect((await echoed).seq).toBe(1);
    // Stored as an action: history says so too.
    const page = await call<MessagePage>(b, "message:list", { roomId: room.id });
    expect(page.ok && page.data.messages[0]).toMatchObject({ body: "waves", kind: "action" });
    expect(await run(a, room.id, "/me")).toMatchObject({
      ok: false,
      error: { code: "validation", message: "Say what you are doing: /me waves" },
    });
  });

  it("/topic: refused to a member who is not a moderator; the owner's reaches the room as room:updated", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const a = await client(ana);
    const b = await client(bo);
    const refused = await run(b, room.id, "/topic Mine now");
    expect(refused).toMatchObject({ ok: false, error: { code: "forbidden" } });
    const updated = nextEvent<RoomUpdate>(b, "room:updated");
    expect(await run(a, room.id, "/topic Release day")).toMatchObject({
      ok: true,
      data: { command: "topic", notice: "Topic set to “Release day”" },
    });
    expect(await updated).toMatchObject({ roomId: room.id, topic: "Release day" });
    expect((await getRoomForViewer(ana, room.id)).topic).toBe("Release day");
  });

  it("/invite: the owner adds someone (their tabs get room:added); a banned user is refused", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const cy = await makeUser("cy");
    const room = await makeRoom(ana, { isPrivate: true });
    const a = await client(ana);
    const b = await client(bo);
    const added = nextEvent<{ roomId: string }>(b, "room:added");
    expect(await run(a, room.id, `/invite @${bo.username}`)).toMatchObject({
      ok: true,
      data: { notice: `@${bo.username} was added to the room` },
    });
    expect(await added).toEqual({ roomId: room.id });
    // bo is now in the channel: a /me reaches them.
    const heard = nextEvent<ChatMessage>(b, "message:new");
    await run(a, room.id, "/me is glad");
    expect((await heard).body).toBe("is glad");
    // Not the owner: refused. A banned user: refused with the reason.
    expect(await run(b, room.id, `/invite ${cy.username}`)).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    await addMember(ana, room.id, { username: cy.username });
    await banMember(ana, room.id, cy.id, {});
    expect(await run(a, room.id, `/invite @${cy.username}`)).toMatchObject({
      ok: false,
      error: { code: "forbidden", message: expect.stringContaining("is banned from this room") },
    });
    expect(await run(a, room.id, "/invite")).toMatchObject({ ok: false, error: { code: "validation" } });
  });

  it("/leave leaves (room:removed to my tabs); /mute toggles (room:muted to my tabs)", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const b = await client(bo);
    const mutedEvt = nextEvent<{ roomId: string; muted: boolean }>(b, "room:muted");
    expect(await run(b, room.id, "/mute")).toMatchObject({ ok: true, data: { notice: "Room muted" } });
    expect(await mutedEvt).toEqual({ roomId: room.id, muted: true });
    expect(await run(b, room.id, "/mute")).toMatchObject({ ok: true, data: { notice: "Room unmuted" } });
    const removed = nextEvent<{ roomId: string }>(b, "room:removed");
    expect(await run(b, room.id, "/leave")).toMatchObject({ ok: true, data: { command: "leave" } });
    expect(await removed).toEqual({ roomId: room.id });
    expect((await getRoomForViewer(bo, room.id)).isMember).toBe(false);
    expect(await run(b, room.id, "/mute")).toMatchObject({ ok: false, error: { code: "forbidden" } });
  });

  it("an unknown command is an error with the way out, and nothing is stored", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const a = await client(ana);
    expect(await run(a, room.id, "/foo bar")).toEqual({
      ok: false,
      error: { code: "not_found", message: "Unknown command /foo — type / to see the list" },
    });
    expect(await run(a, room.id, "hello")).toMatchObject({ ok: false, error: { code: "validation" } });
    expect(await run(a, room.id, "//foo")).toMatchObject({ ok: false, error: { code: "validation" } });
    expect((await getRoomForViewer(ana, room.id)).lastSeq).toBe(0);
    // A room one cannot see is a 404 like everywhere else.
    const other = await makeRoom(await makeUser("zed"), { isPrivate: true });
    expect(await run(a, other.id, "/me peeks")).toMatchObject({ ok: false, error: { code: "not_found" } });
  });
});

describe("custom commands", () => {
  let receiver: Server;
  let receiverUrl: string;
  let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_q, _b, res) => res.end();
  const previousAllow = process.env.WEBHOOK_ALLOW_HOSTS;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => {
        body += c;
      });
      // No keep-alive: each command's request gets a fresh connection (and its own 5 s).
      res.setHeader("connection", "close");
      req.on("end", () => answer(req, body, res));
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const port = (receiver.address() as AddressInfo).port;
    receiverUrl = `http://127.0.0.1:${port}/hook`;
    process.env.WEBHOOK_ALLOW_HOSTS = `127.0.0.1:${port}`;
    reloadEnv();
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
    if (previousAllow === undefined) delete process.env.WEBHOOK_ALLOW_HOSTS;
    else process.env.WEBHOOK_ALLOW_HOSTS = previousAllow;
    reloadEnv();
  });

  async function setUp(name: string) {
    const admin = await makeUser("admin", "admin");
    const bot = await makeUser("bot");
    await db().user.update({ where: { id: bot.id }, data: { isBot: true } });
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await addMember(ana, room.id, { username: bo.username });
    const created = await createSlashCommand(admin, {
      name,
      bot: bot.username,
      url: receiverUrl,
      description: "Tells the weather",
      usageHint: "<city>",
    });
    return { admin, bot, ana, bo, room, created };
  }

  it("is offered and runs only where its bot is a member; signed request; ephemeral and visible answers", async () => {
    const name = `w${randomUUID().slice(0, 6)}`;
    const { bot, ana, bo, room, created } = await setUp(name);
    expect(created.secret).toMatch(/^whsec_/);
    const a = await client(ana);
    const b = await client(bo);
    const before = await call<CommandInfo[]>(a, "command:list", { roomId: room.id });
    expect(before.ok && before.data.map((c) => c.name)).toEqual(["me", "topic", "invite", "leave", "mute"]);
    expect(await run(a, room.id, `/${name} Paris`)).toMatchObject({
      ok: false,
      error: { message: `Unknown command /${name} — type / to see the list` },
    });
    await addMember(ana, room.id, { username: bot.username });
    const listed = await call<CommandInfo[]>(a, "command:list", { roomId: room.id });
    expect(listed.ok && listed.data.at(-1)).toEqual({
      name,
      usage: `/${name} <city>`,
      description: "Tells the weather",
      bot: bot.username,
    });

    let received: { verified: boolean; payload: Record<string, unknown> } | undefined;
    answer = (req, body, res) => {
      const verified = verifyWebhook(
        created.secret,
        {
          id: req.headers["webhook-id"] as string,
          timestamp: req.headers["webhook-timestamp"] as string,
          signature: req.headers["webhook-signature"] as string,
        },
        body,
      );
      received = { verified, payload: JSON.parse(body) };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ text: "Sunny in Paris", visibility: "ephemeral" }));
    };
    const clientId = randomUUID();
    const eph = await run(a, room.id, `/${name}   Paris `, clientId);
    expect(eph).toMatchObject({
      ok: true,
      data: { command: name, ephemeral: { text: "Sunny in Paris", author: { id: bot.id } } },
    });
    expect(received?.verified).toBe(true);
    expect(received?.payload).toMatchObject({
      command: `/${name}`,
      text: "Paris",
      room: { id: room.id, name: room.name },
      user: { id: ana.id, username: ana.username },
      triggerId: clientId,
    });
    // Nothing stored for an ephemeral answer.
    expect((await getRoomForViewer(ana, room.id)).lastSeq).toBe(0);

    answer = (_req, _body, res) => res.end(JSON.stringify({ text: "Rain in Oslo", visibility: "room" }));
    const heard = nextEvent<ChatMessage>(b, "message:new");
    const visible = await run(a, room.id, `/${name} Oslo`);
    expect(visible).toMatchObject({
      ok: true,
      data: { message: { body: "Rain in Oslo", author: { id: bot.id } } },
    });
    expect(await heard).toMatchObject({ body: "Rain in Oslo", author: { id: bot.id } });
  });

  it("readable errors: HTTP error, not JSON, and no answer within 5 s", async () => {
    const name = `e${randomUUID().slice(0, 6)}`;
    const { bot, ana, room } = await setUp(name);
    await addMember(ana, room.id, { username: bot.username });
    const a = await client(ana);
    answer = (_req, _body, res) => {
      res.statusCode = 500;
      res.end("boom");
    };
    expect(await run(a, room.id, `/${name}`)).toEqual({
      ok: false,
      error: { code: "unavailable", message: `/${name} failed (its bot answered HTTP 500)` },
    });
    answer = (_req, _body, res) => res.end("<html>");
    expect(await run(a, room.id, `/${name}`)).toMatchObject({
      ok: false,
      error: { message: `/${name} answered with something that is not JSON` },
    });
    answer = (_req, _body, res) => setTimeout(() => res.end("{}"), 6000);
    const started = Date.now();
    const slow = await a
      .timeout(9000)
      .emitWithAck("command:run", { roomId: room.id, text: `/${name}`, clientId: randomUUID() });
    expect(slow).toMatchObject({
      ok: false,
      error: { code: "unavailable", message: `/${name} did not answer within 5 seconds` },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
  }, 20_000);

  it("admins manage them (others get 404); names, bots and URLs are checked; audit entries", async () => {
    const admin = await makeUser("admin", "admin");
    const member = await makeUser("member");
    const bot = await makeUser("bot");
    await db().user.update({ where: { id: bot.id }, data: { isBot: true } });
    const person = await makeUser("person");
    await expect(listSlashCommands(member)).rejects.toMatchObject({ code: "not_found" });
    await expect(
      createSlashCommand(member, { name: "x", bot: bot.username, url: receiverUrl }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      createSlashCommand(admin, { name: "topic", bot: bot.username, url: receiverUrl }),
    ).rejects.toMatchObject({
      code: "validation",
      extra: { fields: { name: ["That is a built-in command"] } },
    });
    await expect(
      createSlashCommand(admin, { name: "ok1", bot: person.username, url: receiverUrl }),
    ).rejects.toMatchObject({
      code: "validation",
      message: expect.stringContaining("is a person, not a bot"),
    });
    await expect(
      createSlashCommand(admin, { name: "ok1", bot: bot.username, url: "http://10.0.0.1/hook" }),
    ).rejects.toMatchObject({ code: "bad_request", message: expect.stringContaining("private") });
    const name = `a${randomUUID().slice(0, 6)}`;
    const made = await createSlashCommand(admin, {
      name: `/${name.toUpperCase()}`,
      bot: bot.username,
      url: receiverUrl,
    });
    expect(made.name).toBe(name);
    await expect(
      createSlashCommand(admin, { name, bot: bot.username, url: receiverUrl }),
    ).rejects.toMatchObject({ code: "conflict" });
    expect((await listSlashCommands(admin)).find((c) => c.id === made.id)).not.toHaveProperty("secret");
    await deleteSlashCommand(admin, made.id);
    await expect(deleteSlashCommand(admin, made.id)).rejects.toMatchObject({ code: "not_found" });
    const audit = await db().auditLog.findMany({
      where: { targetId: made.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((e) => e.action)).toEqual(["command.create", "command.delete"]);
  });
});
