// Every socket event has a budget per user (lib/ratelimit/limits.ts), spent by the dispatcher before
// the handler runs: past it, the event is answered rate_limited and stores and broadcasts nothing.
// Real server, real clients, real PostgreSQL; the budgets here are the shipped ones (scale 1).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { LIMITS, limits, RateLimits, type RequestKind, setLimits } from "@/lib/ratelimit/limits";
import type { Ack } from "@/lib/realtime/events";
import { KNOWN_EVENTS } from "@/lib/realtime/server/server";
import { joinRoom } from "@/lib/rooms/rooms.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, startRealtime, type TestClient } from "./helpers/realtime";

const previous = limits();
let server: Awaited<ReturnType<typeof startRealtime>>;
const sockets: TestClient[] = [];

beforeAll(async () => {
  setLimits(new RateLimits()); // scale 1: the budgets as shipped
  server = await startRealtime();
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server.close();
  setLimits(previous);
});

async function socketOf(user: SessionUser): Promise<TestClient> {
  const s = await connectAs(server.url, user);
  sockets.push(s);
  await connected(s);
  return s;
}

const budget = (kind: RequestKind) => LIMITS[kind].points;

/** `n` calls of `event`, `width` at a time; the acks in order. */
async function calls(s: TestClient, event: string, n: number, payload: (i: number) => unknown, width = 50) {
  const acks: Ack<unknown>[] = [];
  for (let i = 0; i < n; i += width) {
    const batch = Array.from({ length: Math.min(width, n - i) }, (_, j) => call(s, event, payload(i + j)));
    acks.push(...(await Promise.all(batch)));
  }
  return acks;
}

const limited = {
  ok: false,
  error: {
    code: "rate_limited",
    message: expect.stringMatching(/try again in \d+ s$/),
    retryAfterMs: expect.any(Number),
  },
};

/** A room with a sender, an observer, and a third member whose sends mark "everything before has arrived". */
async function roomOfThree() {
  const [sender, observer, marker] = [await makeUser("snd"), await makeUser("obs"), await makeUser("mrk")];
  const room = await makeRoom(sender);
  await joinRoom(observer, room.id);
  await joinRoom(marker, room.id);
  const s = {
    sender: await socketOf(sender),
    observer: await socketOf(observer),
    marker: await socketOf(marker),
  };
  const heard: { event: string; payload: unknown }[] = [];
  for (const event of [
    "message:new",
    "message:batch",
    "message:updated",
    "message:deleted",
    "presence:update",
  ])
    s.observer.on(event as never, ((payload: unknown) => heard.push({ event, payload })) as never);
  /** Everything emitted to the observer before this call has been received when it resolves. */
  const settle = async () => {
    const body = `marker ${randomUUID()}`;
    const arrived = new Promise<void>((resolve) => {
      const check = (m: ChatMessage) => m.body === body && resolve();
      s.observer.on("message:new", check);
    });
    await call(s.marker, "message:send", { roomId: room.id, clientId: randomUUID(), body });
    await arrived;
  };
  return { room, users: { sender, observer }, sockets: s, heard, settle };
}

describe("socket events", () => {
  it("every event the server handles has a budget in the table", () => {
    const missing = [...KNOWN_EVENTS].filter((e) => !Object.hasOwn(LIMITS, e));
    expect(missing).toEqual([]);
  });

  it("every event is refused past its budget, whatever the payload", async () => {
    for (const event of KNOWN_EVENTS) {
      const s = await socketOf(await makeUser("any"));
      const n = budget(event as RequestKind);
      // Malformed payloads: the point is spent before anything else is looked at.
      const acks = await calls(s, event, n, () => ({}));
      expect(
        acks.filter((a) => !a.ok && a.error.code === "rate_limited"),
        `${event} within budget`,
      ).toEqual([]);
      expect(await call(s, event, {}), `${event} past ${n}`).toMatchObject(limited);
    }
  });

  it("message:edit past the budget changes nothing and tells nobody", async () => {
    const { room, sockets: s, heard, settle } = await roomOfThree();
    const sent = await call<ChatMessage>(s.sender, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "to be edited",
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const edit = (body: string) => ({ roomId: room.id, messageId: sent.data.id, body });
    const n = budget("message:edit");
    const acks = await calls(s.sender, "message:edit", n, (i) => edit(`edit ${i}`), 1);
    expect(acks.every((a) => a.ok)).toBe(true);
    expect(await call(s.sender, "message:edit", edit("over the limit"))).toMatchObject(limited);
    await settle();
    const row = await db().message.findUniqueOrThrow({ where: { id: sent.data.id } });
    expect(row.body).toBe(`edit ${n - 1}`);
    const updates = heard
      .filter((h) => h.event === "message:updated")
      .map((h) => (h.payload as ChatMessage).body);
    expect(updates).toHaveLength(n);
    expect(updates).not.toContain("over the limit");
  });

  it("reaction:toggle past the budget changes nothing and tells nobody", async () => {
    const { room, sockets: s, heard, settle } = await roomOfThree();
    const sent = await call<ChatMessage>(s.sender, "message:send", {
      roomId: room.id,
      clientId: randomUUID(),
      body: "react to me",
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const toggle = { roomId: room.id, messageId: sent.data.id, emoji: "👍" };
    const n = budget("reaction:toggle");
    const acks = await calls(s.sender, "reaction:toggle", n, () => toggle, 1);
    expect(acks.every((a) => a.ok)).toBe(true);
    const rev = (await db().message.findUniqueOrThrow({ where: { id: sent.data.id } })).rev;
    expect(await call(s.sender, "reaction:toggle", toggle)).toMatchObject(limited);
    await settle();
    const after = await db().message.findUniqueOrThrow({
      where: { id: sent.data.id },
      select: { rev: true, reactions: true },
    });
    expect(after.rev).toBe(rev);
    expect(after.reactions).toHaveLength(n % 2); // toggled n times, not n + 1
    expect(heard.filter((h) => h.event === "message:updated")).toHaveLength(n);
  });

  it("presence:set past the budget does not change the status", async () => {
    const { room, users, sockets: s } = await roomOfThree();
    const n = budget("presence:set");
    const state = (i: number) => ({ state: i % 2 === 0 ? "idle" : "active" });
    const acks = await calls(s.sender, "presence:set", n, state, 1);
    const last = acks.at(-1) as Ack<{ status: string }>;
    if (!last.ok) throw new Error(last.error.message);
    expect(await call(s.sender, "presence:set", state(n))).toMatchObject(limited);
    // The refused call asked for the other state; the others still see the last accepted one.
    expect(await call(s.observer, "presence:list", { roomId: room.id })).toMatchObject({
      ok: true,
      data: { [users.sender.id]: last.data.status },
    });
  });

  it("a retry of a stored clientId is refused at the limit, and the room hears nothing", async () => {
    const { room, sockets: s, heard, settle } = await roomOfThree();
    const first = { roomId: room.id, clientId: randomUUID(), body: "the first one" };
    const perRoom = LIMITS.message.steady.points + LIMITS.message.burst.points;
    const acks = await calls(
      s.sender,
      "message:send",
      perRoom,
      (i) => (i === 0 ? first : { roomId: room.id, clientId: randomUUID(), body: `m${i}` }),
      1,
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    await settle();
    const before = heard.length;
    // The per-room budget refills 5 a second, so on a slow machine a few retries may fit again
    // (answered to the sender only); most must be refused, and none may reach the room.
    const retries: unknown[] = [];
    for (let i = 0; i < 20; i++) retries.push(await call(s.sender, "message:send", first));
    const refused = retries.filter((r) => (r as Ack<unknown>).ok === false);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const r of refused) expect(r).toMatchObject(limited);
    await settle();
    expect(heard.slice(before).filter((h) => h.event !== "message:new" || !isMarker(h.payload))).toEqual([]);
  });
});

const isMarker = (m: unknown) => (m as ChatMessage).body.startsWith("marker ");
