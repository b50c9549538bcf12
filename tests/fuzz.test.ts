// Fuzzing over real sockets: random and malformed events (wrong types, huge strings, deep objects,
// unknown events, binary, floods). The server must stay up with bounded memory, answer every event
// that asks for an ack with an ack, and store only valid rows. `npm run fuzz` runs it longer.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { emojiSchema, MAX_MESSAGE_LENGTH } from "@/lib/messages/messages.schema";
import { KNOWN_EVENTS } from "@/lib/realtime/server/server";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { connectAs, connected, startRealtime, type TestClient } from "./helpers/realtime";

/** The socket without its event typing: the fuzzer sends what the types forbid. */
type Raw = {
  emit(...args: unknown[]): void;
  timeout(ms: number): { emitWithAck(...args: unknown[]): Promise<unknown> };
};
const raw = (s: TestClient) => s as unknown as Raw;

const EVENTS = Number(process.env.FUZZ_EVENTS ?? 10_000);
const KNOWN = [...KNOWN_EVENTS];
const ODD = [
  "no:such",
  "__proto__",
  "constructor",
  "toString",
  "x".repeat(300),
  "message:send ",
  "ROOM:JOIN",
];

// Deterministic, so a failure can be replayed: FUZZ_SEED=… npm run fuzz
let seed = Number(process.env.FUZZ_SEED ?? 20261125);
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const int = (n: number) => Math.floor(rnd() * n);

function randomString(): string {
  switch (int(8)) {
    case 0:
      return "";
    case 1:
      return " \n\t ";
    case 2:
      return "x".repeat(int(60_000)); // below the transport limit: must be refused by validation
    case 3:
      return "\u0000nul";
    case 4:
      return "<script>alert(1)</script>";
    case 5:
      return "👍";
    case 6:
      return randomUUID();
    default:
      return Math.random()
        .toString(36)
        .repeat(1 + int(5));
  }
}

/** An own property, even for "__proto__" (which plain assignment would turn into a prototype). */
function own(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, configurable: true, writable: true });
}

function randomValue(depth = 0): unknown {
  switch (int(depth > 4 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return int(10) - 5 + rnd();
    case 2:
      return randomString();
    case 3:
      return rnd() > 0.5;
    case 4:
      // binary attachments (top level only: socket.io-client's encoder itself trips over some nestings)
      return depth === 0 ? Buffer.from(randomString().slice(0, 200)) : randomString().slice(0, 20);
    case 5:
      return 2 ** 53 + int(10);
    case 6:
      return Array.from({ length: int(5) }, () => randomValue(depth + 1));
    case 7: {
      let deep: unknown = {};
      for (let i = 0; i < 60; i++) deep = { a: deep };
      return deep;
    }
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < int(5); i++)
        o[pick(["roomId", "body", "clientId", "x", "__proto__", "constructor", "seq"])] = randomValue(
          depth + 1,
        );
      return o;
    }
  }
}

describe("fuzzing the socket protocol", () => {
  let server: Awaited<ReturnType<typeof startRealtime>>;
  const sockets: TestClient[] = [];
  let roomIds: string[] = [];
  const messageIds: string[] = [];

  beforeAll(async () => {
    server = await startRealtime();
    const users = await Promise.all([0, 1, 2, 3].map(() => makeUser("fz")));
    const rooms = [await makeRoom(users[0] as never), await makeRoom(users[1] as never, { isPrivate: true })];
    for (const u of users.slice(1)) await joinRoom(u, rooms[0]?.id as string);
    roomIds = rooms.map((r) => r.id);
    for (const u of users) {
      const s = await connectAs(server.url, u);
      await connected(s);
      sockets.push(s);
    }
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server.close();
  });

  /** A payload that is sometimes valid, so the fuzz also reaches the write paths. */
  function payloadFor(event: string): unknown {
    const roll = rnd();
    if (roll < 0.35) return randomValue();
    const base: Record<string, unknown> = {
      roomId: pick([...roomIds, randomUUID(), "not-a-uuid"]),
      clientId: randomUUID(),
      body: rnd() < 0.7 ? `fuzz ${int(1e6)}` : randomString(),
      messageId: pick([...messageIds.slice(-20), randomUUID()]),
      emoji: pick(["👍", "🎉", "x", "", ":tada:"]),
      seq: int(50),
      state: pick(["active", "idle", "asleep"]),
      muted: rnd() > 0.5,
      sinceRev: int(5),
      fromSeq: 0,
      toSeq: int(100),
      limit: pick([1, 50, 100, 101, -1]),
    };
    if (roll > 0.9) own(base, pick(["extra", "__proto__", "constructor"]), randomValue());
    const keys: Record<string, string[]> = {
      "message:send": ["roomId", "clientId", "body"],
      "message:edit": ["roomId", "messageId", "body"],
      "message:delete": ["roomId", "messageId"],
      "reaction:toggle": ["roomId", "messageId", "emoji"],
      "message:list": ["roomId", "limit"],
      "message:changes": ["roomId", "sinceRev", "fromSeq", "toSeq"],
      "room:read": ["roomId", "seq"],
      "room:mute": ["roomId", "muted"],
      "presence:set": ["state"],
    };
    const wanted = Object.hasOwn(keys, event) ? (keys[event] as string[]) : ["roomId"];
    return Object.fromEntries(Object.entries(base).filter(([k]) => wanted.includes(k) || roll > 0.9));
  }

  it(`answers ${EVENTS.toLocaleString("en-US")} random events, stays up and stores only valid rows`, async () => {
    const rssBefore = process.memoryUsage().rss;
    let acks = 0;
    let errors = 0;
    const perSocket = Math.ceil(EVENTS / sockets.length);
    await Promise.all(
      sockets.map(async (s) => {
        for (let i = 0; i < perSocket; i++) {
          const event = rnd() < 0.85 ? pick(KNOWN) : pick(ODD);
          const payload = payloadFor(event);
          if (i % 500 === 499) {
            // a flood: 100 events without waiting, each must still be answered
            const flood = Array.from({ length: 100 }, () =>
              raw(s)
                .timeout(15_000)
                .emitWithAck("message:list", { roomId: pick(roomIds) }),
            );
            const res = (await Promise.all(flood)) as { ok: boolean }[];
            acks += res.length;
            continue;
          }
          if (rnd() < 0.05) {
            raw(s).emit(event, payload); // no ack asked: nothing must break
            continue;
          }
          const res = (await raw(s).timeout(15_000).emitWithAck(event, payload)) as {
            ok: boolean;
            data?: { id?: string };
            error?: { code: string; message: string };
          };
          acks++;
          expect(typeof res.ok).toBe("boolean");
          if (!res.ok) {
            errors++;
            expect(res.error?.code).toBeTruthy();
            expect(res.error?.message).toBeTruthy();
            expect(res.error?.message).not.toMatch(/prisma|postgres|stack|at \w+ \(/i); // no raw internals
          } else if (event === "message:send" && res.data?.id) {
            messageIds.push(res.data.id);
          }
        }
      }),
    );
    expect(acks).toBeGreaterThan(EVENTS * 0.9);
    expect(errors).toBeGreaterThan(0);
    for (const s of sockets) expect(s.connected).toBe(true);
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect(grownMb).toBeLessThan(400);

    // The database holds only valid rows.
    for (const roomId of roomIds) {
      const rows = await db().message.findMany({
        where: { roomId },
        select: { seq: true, body: true, deletedAt: true },
      });
      rows.sort((a, b) => a.seq - b.seq);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
      for (const r of rows) {
        if (r.deletedAt) continue;
        expect(r.body.trim().length).toBeGreaterThan(0);
        expect(r.body.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
        expect(r.body.includes("\u0000")).toBe(false);
      }
      const reactions = await db().reaction.findMany({
        where: { message: { roomId } },
        select: { emoji: true },
      });
      for (const r of reactions) expect(emojiSchema.safeParse(r.emoji).success).toBe(true);
    }
  }, 600_000);

  it("drops a connection whose packet exceeds the size limit, and keeps serving others", async () => {
    const s = sockets[0] as TestClient;
    const closed = new Promise<string>((resolve) => s.once("disconnect", (reason) => resolve(reason)));
    raw(s).emit("message:send", { roomId: roomIds[0], clientId: randomUUID(), body: "x".repeat(200_000) });
    expect(await closed).toBeTruthy();
    const other = sockets[1] as TestClient;
    const res = (await raw(other).timeout(5000).emitWithAck("message:list", { roomId: roomIds[0] })) as {
      ok: boolean;
    };
    expect(res.ok).toBe(true);
  });
});
