// The example bot (examples/echo-bot) as a child process against a real Beacon realtime server: a
// bot account with a real token, a person in the same room, "!echo" and "!remind" answered.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { addMember } from "@/lib/rooms/rooms.service";
import { createToken } from "@/lib/tokens/tokens.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, startRealtime, type TestClient } from "./helpers/realtime";

let server: Awaited<ReturnType<typeof startRealtime>>;
let bot: ChildProcess | undefined;
let person: TestClient | undefined;
let output = "";

beforeAll(async () => {
  server = await startRealtime();
});

afterAll(async () => {
  person?.disconnect();
  if (bot && bot.exitCode === null) {
    const exited = new Promise((r) => bot?.once("exit", r));
    bot.kill("SIGTERM");
    await exited;
  }
  await server.close();
});

/** The next message:new from `authorId` in `roomId`. */
function nextFrom(s: TestClient, authorId: string, ms: number): Promise<ChatMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off("message:new", on);
      reject(new Error(`no message from the bot within ${ms} ms; bot output:\n${output}`));
    }, ms);
    const on = (m: ChatMessage) => {
      if (m.author.id !== authorId) return;
      clearTimeout(timer);
      s.off("message:new", on);
      resolve(m);
    };
    s.on("message:new", on);
  });
}

describe("examples/echo-bot", () => {
  it("echoes and reminds in a room it is a member of", async () => {
    const owner = await makeUser("ana");
    const botUser = await makeUser("echobot");
    await db().user.update({ where: { id: botUser.id }, data: { isBot: true, botOwnerId: owner.id } });
    const { token } = await createToken(owner, { name: "echo bot", scopes: ["read", "write"] }, botUser.id);
    const room = await makeRoom(owner);
    await addMember(owner, room.id, { username: botUser.username });

    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    bot = spawn(process.execPath, [tsx, "examples/echo-bot/index.ts"], {
      env: { ...process.env, BEACON_URL: server.url, BEACON_TOKEN: token },
      stdio: ["ignore", "pipe", "pipe"],
    });
    bot.stdout?.on("data", (d) => {
      output += d;
    });
    bot.stderr?.on("data", (d) => {
      output += d;
    });
    // Up once it says so (tsx compiles it first).
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not connect:\n${output}`)), 20_000);
      const check = () => {
        if (output.includes("connected to")) {
          clearTimeout(timer);
          resolve();
        }
      };
      bot?.stdout?.on("data", check);
      bot?.once("exit", (code) => reject(new Error(`the bot exited (${code}):\n${output}`)));
    });

    person = await connectAs(server.url, owner);
    await connected(person);
    const echoed = nextFrom(person, botUser.id, 5000);
    await call(person, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "!echo hello there",
    });
    expect((await echoed).body).toBe("hello there");

    const confirm = nextFrom(person, botUser.id, 5000);
    const sentAt = Date.now();
    await call(person, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "!remind 2s stretch",
    });
    expect((await confirm).body).toBe(`OK @${owner.username}, I will remind you in 2s.`);
    const reminder = await nextFrom(person, botUser.id, 6000);
    expect(reminder.body).toBe(`⏰ @${owner.username}: stretch`);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(1900);
    // The reminder mentions its requester.
    expect(reminder.mentions).toContain(owner.id);
  }, 45_000);
});
