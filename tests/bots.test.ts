// Bot accounts (issue 18, item 1): who may create them (role × the workspace setting), who sees and
// manages them, that a bot can never sign in through the browser (no password, a set one refused,
// no reset link, no linked identity, no session), that its owner's deactivation passes it to an
// admin (audited) while it keeps working, that deactivating it or revoking one of its tokens closes
// its sockets at once (the routes), and that its messages carry the BOT flag everywhere they show.
// Real PostgreSQL and real Socket.IO clients. "The oldest owner" counts every owner in the database,
// so this file runs in a database of its own.
import { io as connect } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DELETE as deleteBot } from "@/app/api/bots/[id]/route";
import { DELETE as revokeBotTokenRoute } from "@/app/api/bots/[id]/tokens/[tokenId]/route";
import { POST as createBotRoute, GET as listBotsRoute } from "@/app/api/bots/route";
import { COMMAND_LINE, createResetLink, deactivateUser } from "@/lib/admin/admin.service";
import {
  BOT_CREATION_REFUSED,
  createBot,
  createBotToken,
  getBot,
  listBots,
  listBotTokens,
  updateBot,
} from "@/lib/bots/bots.service";
import { db, disconnectDb } from "@/lib/db/client";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { listMessages } from "@/lib/messages/messages.service";
import { addMember, listMembers } from "@/lib/rooms/rooms.service";
import { listMentions, searchMessages } from "@/lib/search/search.service";
import { authenticateToken } from "@/lib/tokens/tokens.service";
import { linkIdentity } from "@/lib/users/identities.service";
import { hashPassword } from "@/lib/users/password";
import { getUserCard } from "@/lib/users/profile.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { getSessionUser, verifyCredentials } from "@/lib/users/users.service";
import { updateWorkspaceSettings } from "@/lib/workspace/settings.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";
import { signInWith } from "./helpers/next-auth";
import { call, connected, startRealtime, type TestClient } from "./helpers/realtime";
import { errorOf, routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

beforeAll(async () => {
  const u = new URL(process.env.DATABASE_URL ?? "");
  u.pathname = `${u.pathname}_bots`;
  await ensureDatabase(u.toString());
  await migrate(u.toString());
  process.env.DATABASE_URL = u.toString();
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  routeSession.user = null;
  await db().workspace.update({ where: { id: 1 }, data: { membersCreateBots: false } });
});
afterAll(async () => {
  await disconnectDb();
});

const newBot = (name = "bot") => ({ username: unique(name), displayName: `The ${name}` });

function tokenSocket(url: string, token: string): TestClient {
  const s = connect(url, { transports: ["websocket"], auth: { token }, reconnection: false, forceNew: true });
  cleanup.push(async () => void s.close());
  return s;
}

function closedByServer(s: TestClient, ms = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms);
    let reason = "(none)";
    s.once("socket:closing", (c) => {
      reason = c.reason;
    });
    s.once("disconnect", (why) => {
      clearTimeout(timer);
      resolve(`${reason} / ${why}`);
    });
  });
}

describe("who may create bots", () => {
  it("admins always; members only when the workspace allows it; guests never", async () => {
    const admin = await makeUser("cadm", "admin");
    const member = await makeUser("cmem");
    const moderator = await makeUser("cmod", "moderator");
    const guest = await makeUser("cgst", "guest");
    expect((await createBot(admin, newBot())).owner?.id).toBe(admin.id);
    await expect(createBot(member, newBot())).rejects.toMatchObject({
      code: "forbidden",
      message: BOT_CREATION_REFUSED.members,
    });
    await expect(createBot(moderator, newBot())).rejects.toMatchObject({ code: "forbidden" });
    await expect(createBot(guest, newBot())).rejects.toMatchObject({ message: BOT_CREATION_REFUSED.guest });
    // The admin console's setting (PATCH /api/admin/settings).
    expect((await updateWorkspaceSettings(admin, { membersCreateBots: true })).membersCreateBots).toBe(true);
    const mine = await createBot(member, { ...newBot(), description: "Posts the build status" });
    expect(mine).toMatchObject({
      owner: { id: member.id },
      description: "Posts the build status",
      role: "member",
    });
    expect((await createBot(moderator, newBot())).owner?.id).toBe(moderator.id);
    await expect(createBot(guest, newBot())).rejects.toMatchObject({ message: BOT_CREATION_REFUSED.guest });
    await expect(updateWorkspaceSettings(member, { membersCreateBots: false })).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("follows the username rules: invalid, taken (by a person or a bot) and missing names are readable 4xx", async () => {
    const admin = await makeUser("uadm", "admin");
    const person = await makeUser("taken");
    await expect(createBot(admin, { username: "a b", displayName: "x" })).rejects.toMatchObject({
      code: "validation",
      extra: { fields: { username: ["Username may only contain letters, digits, _ . and -"] } },
    });
    await expect(createBot(admin, { username: person.username, displayName: "x" })).rejects.toMatchObject({
      code: "conflict",
      message: "That username is taken",
    });
    const bot = await createBot(admin, newBot());
    await expect(createBot(admin, { username: bot.username, displayName: "x" })).rejects.toMatchObject({
      code: "conflict",
    });
    await expect(createBot(admin, { username: unique("nodn") })).rejects.toMatchObject({
      extra: { fields: { displayName: ["Display name is required"] } },
    });
  });

  it("answers over HTTP: 201 with the bot, 403 with the reason, 401 signed out", async () => {
    const admin = await makeUser("hadm", "admin");
    const member = await makeUser("hmem");
    const post = (body: unknown) =>
      createBotRoute(
        new Request("http://beacon.test/api/bots", { method: "POST", body: JSON.stringify(body) }),
      );
    expect((await errorOf(await post(newBot()))).status).toBe(401);
    routeSession.user = member;
    expect(await errorOf(await post(newBot()))).toEqual({
      status: 403,
      code: "forbidden",
      message: BOT_CREATION_REFUSED.members,
    });
    const list = (await (await listBotsRoute()).json()) as { canCreate: boolean };
    expect(list.canCreate).toBe(false);
    routeSession.user = admin;
    const res = await post(newBot("http"));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { bot: { owner: { id: string } } }).bot.owner.id).toBe(admin.id);
  });
});

describe("who sees and manages a bot", () => {
  it("its owner and admins; to anyone else it is a 404", async () => {
    const admin = await makeUser("sadm", "admin");
    const owner = await makeUser("sown");
    const stranger = await makeUser("sstr");
    await db().workspace.update({ where: { id: 1 }, data: { membersCreateBots: true } });
    const bot = await createBot(owner, newBot());
    expect((await listBots(owner)).map((b) => b.id)).toEqual([bot.id]);
    expect((await listBots(stranger)).map((b) => b.id)).toEqual([]);
    expect((await listBots(admin)).map((b) => b.id)).toContain(bot.id);
    for (const fn of [
      () => getBot(stranger, bot.id),
      () => updateBot(stranger, bot.id, { displayName: "Mine now" }),
      () => listBotTokens(stranger, bot.id),
      () => createBotToken(stranger, bot.id, { name: "x", scopes: ["write"] }),
    ])
      await expect(fn()).rejects.toMatchObject({ code: "not_found", message: "There is no such bot" });
    // A person's id is not a bot either.
    await expect(getBot(admin, owner.id)).rejects.toMatchObject({ code: "not_found" });
    expect(
      await updateBot(admin, bot.id, { displayName: "Renamed", description: "Does things" }),
    ).toMatchObject({
      displayName: "Renamed",
      description: "Does things",
    });
    await expect(updateBot(owner, bot.id, {})).rejects.toMatchObject({ code: "validation" });
  });
});

describe("a bot never signs in through the browser", () => {
  it("has no password; one set by hand is still refused; no reset link, no linked identity, no session", async () => {
    const admin = await makeUser("nadm", "admin");
    const bot = await createBot(admin, newBot("nosign"));
    const row = await db().user.findUniqueOrThrow({ where: { id: bot.id } });
    expect(row).toMatchObject({ passwordHash: null, isBot: true });
    expect(await db().account.count({ where: { userId: bot.id } })).toBe(0);
    const password = "correct horse battery";
    expect(await verifyCredentials({ username: bot.username, password })).toBeNull();
    // Even if a hash got into the row somehow, the credentials check and the sign-in refuse it.
    await db().user.update({ where: { id: bot.id }, data: { passwordHash: await hashPassword(password) } });
    expect(await verifyCredentials({ username: bot.username, password })).toBeNull();
    const signIn = await signInWith({ username: bot.username, password });
    expect(signIn.session).toBeUndefined();
    expect(signIn.error).toBeTruthy();
    // A session token minted for it (as if signed) is no session.
    expect(
      await getSessionUser({ uid: bot.id, sv: row.sessionVersion, sid: crypto.randomUUID() }),
    ).toBeNull();
    await expect(createResetLink(admin, bot.id)).rejects.toMatchObject({ code: "forbidden" });
    await expect(
      linkIdentity(
        { id: bot.id, username: bot.username },
        { provider: "oidc", providerAccountId: "bot-sub" },
        "SSO",
      ),
    ).rejects.toMatchObject({ code: "forbidden", message: "Bots cannot have sign-in methods" });
    expect(await db().account.count({ where: { userId: bot.id } })).toBe(0);
  });
});

describe("when its owner is deactivated", () => {
  it("passes to the acting admin (audited) and keeps working", async () => {
    const admin = await makeUser("dadm", "admin");
    const owner = await makeUser("down");
    await db().workspace.update({ where: { id: 1 }, data: { membersCreateBots: true } });
    const bot = await createBot(owner, newBot("heir"));
    const { token } = await createBotToken(owner, bot.id, { name: "ci", scopes: ["read", "write"] });
    await deactivateUser(admin, owner.id);
    expect((await getBot(admin, bot.id)).owner?.id).toBe(admin.id);
    const audit = await db().auditLog.findMany({ where: { targetId: bot.id, action: "bot.owner" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.id,
      targetLabel: `@${bot.username}`,
      detail: { from: `@${owner.username}`, to: `@${admin.username}`, reason: "owner deactivated" },
    });
    // Its token still acts as the bot; the new owner manages it.
    expect((await authenticateToken(token))?.user.id).toBe(bot.id);
    expect((await listBotTokens(admin, bot.id)).map((t) => t.name)).toEqual(["ci"]);
  });

  it("from the command line: passes to the oldest active owner", async () => {
    // Only these two are owners (the file's first sign-up was one too).
    await db().user.updateMany({ where: { role: "owner" }, data: { role: "member" } });
    const first = await makeUser("oldest", "owner");
    await makeUser("younger", "owner");
    const owner = await makeUser("cliown");
    await db().workspace.update({ where: { id: 1 }, data: { membersCreateBots: true } });
    const bot = await createBot(owner, newBot("cli"));
    await deactivateUser(COMMAND_LINE, owner.id);
    expect((await getBot(first, bot.id)).owner?.id).toBe(first.id);
    const [entry] = await db().auditLog.findMany({ where: { targetId: bot.id, action: "bot.owner" } });
    expect(entry?.actorName).toBe("command line");
  });
});

describe("deactivating a bot and revoking its tokens (the routes)", () => {
  async function botOnline() {
    const rt = await startRealtime();
    cleanup.push(() => rt.close());
    const admin = await makeUser("radm", "admin");
    const bot = await createBot(admin, newBot("live"));
    const t = await createBotToken(admin, bot.id, { name: "live", scopes: ["read", "write"] });
    const s = tokenSocket(rt.url, t.token);
    await connected(s);
    routeSession.user = admin;
    return { rt, admin, bot, t, s };
  }

  it("revoking one of its tokens closes that token's socket (token_revoked) and the token is refused", async () => {
    const { bot, t, s } = await botOnline();
    const closed = closedByServer(s);
    const res = await revokeBotTokenRoute(new Request("http://beacon.test", { method: "DELETE" }), {
      params: Promise.resolve({ id: bot.id, tokenId: t.id }),
    });
    expect(res.status).toBe(200);
    expect(await closed).toBe("token_revoked / io server disconnect");
    expect(await authenticateToken(t.token)).toBeNull();
    const again = await revokeBotTokenRoute(new Request("http://beacon.test", { method: "DELETE" }), {
      params: Promise.resolve({ id: bot.id, tokenId: t.id }),
    });
    expect((await errorOf(again)).status).toBe(404);
  });

  it("deactivating it revokes every token and closes its sockets; someone else gets a 404", async () => {
    const { bot, t, s } = await botOnline();
    const stranger = await makeUser("rstr");
    routeSession.user = stranger;
    const ctx = { params: Promise.resolve({ id: bot.id }) };
    expect((await errorOf(await deleteBot(new Request("http://beacon.test"), ctx))).status).toBe(404);
    expect(s.connected).toBe(true);
    routeSession.user = (await db().user.findUniqueOrThrow({
      where: { id: bot.owner?.id ?? "" },
      select: { id: true, username: true, displayName: true, role: true },
    })) as SessionUser;
    const closed = closedByServer(s);
    const res = await deleteBot(new Request("http://beacon.test"), {
      params: Promise.resolve({ id: bot.id }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { bot: { deactivated: boolean } }).bot.deactivated).toBe(true);
    expect(await closed).toBe("deactivated / io server disconnect");
    expect(await authenticateToken(t.token)).toBeNull();
    expect(await db().apiToken.count({ where: { userId: bot.id, revokedAt: null } })).toBe(0);
    await expect(
      createBotToken(routeSession.user, bot.id, { name: "x", scopes: ["read"] }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
  });
});

describe("a bot in rooms", () => {
  it("is added like a person, and its messages carry the BOT flag in every view", async () => {
    const rt = await startRealtime();
    cleanup.push(() => rt.close());
    const admin = await makeUser("madm", "admin");
    const person = await makeUser("mper");
    const room = await makeRoom(admin);
    const bot = await createBot(admin, newBot("poster"));
    await addMember(admin, room.id, { username: bot.username });
    await addMember(admin, room.id, { username: person.username });
    const { token } = await createBotToken(admin, bot.id, { name: "post", scopes: ["read", "write"] });
    const s = tokenSocket(rt.url, token);
    await connected(s);
    const word = unique("deploy");
    const sent = await call<ChatMessage>(s, "message:send", {
      roomId: room.id,
      clientId: crypto.randomUUID(),
      body: `${word} finished for @${person.username}`,
    });
    expect(sent).toMatchObject({ ok: true, data: { author: { id: bot.id, isBot: true } } });
    const page = await listMessages(person, { roomId: room.id });
    expect(page.messages.at(-1)?.author).toMatchObject({ id: bot.id, isBot: true });
    const found = await searchMessages(person, { q: word });
    expect(found.hits[0]?.author).toMatchObject({ id: bot.id, isBot: true });
    const mentions = await listMentions(person);
    expect(mentions[0]?.author).toMatchObject({ id: bot.id, isBot: true });
    const members = await listMembers(person, room.id);
    expect(members.find((m) => m.id === bot.id)?.isBot).toBe(true);
    expect(members.find((m) => m.id === person.id)).not.toHaveProperty("isBot");
    expect((await getUserCard(person, bot.username)).bot).toEqual({
      description: "",
      owner: { username: admin.username, displayName: admin.displayName },
    });
    expect(await getUserCard(person, person.username)).not.toHaveProperty("bot");
  });
});
