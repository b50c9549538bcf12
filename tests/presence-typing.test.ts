import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import type { PresenceStatus } from "@/lib/presence/presence";
import { onPresence } from "@/lib/realtime/client/socket";
import type { PresenceUpdate, TypingUpdate } from "@/lib/realtime/events";
import { PRESENCE_COALESCE_MS } from "@/lib/realtime/server/presence-handlers";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { MemoryState, type SharedState } from "@/lib/state/shared-state";
import { makeRoom, makeUser } from "./helpers/fixtures";
import { call, connectAs, connected, nextEvent, startRealtime, type TestClient } from "./helpers/realtime";
import { externalRedisUrl, redisState } from "./helpers/services";

type Server = Awaited<ReturnType<typeof startRealtime>>;
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function client(server: Server, user: Parameters<typeof connectAs>[1]): Promise<TestClient> {
  const s = await connectAs(server.url, user);
  cleanup.push(() => {
    s.disconnect();
  });
  await connected(s);
  return s;
}

function presenceOf(s: TestClient, userId: string, status: PresenceStatus, ms = 8000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no presence ${status} for ${userId}`)), ms);
    const stop = onPresence(s, (updates) => {
      if (updates.some((u) => u.userId === userId && u.status === status)) {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  });
}

describe("presence bursts", () => {
  it("many arrivals at once reach a member as batched frames, and only from people in shared rooms", async () => {
    const server = await startRealtime(new MemoryState());
    cleanup.push(() => server.close());
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const others = await Promise.all(Array.from({ length: 8 }, (_, i) => makeUser(`burst${i}`)));
    for (const u of others) await joinRoom(u, room.id);
    const stranger = await makeUser("zed");
    await makeRoom(stranger); // zed shares no room with ana
    const a = await client(server, ana);
    await new Promise((r) => setTimeout(r, PRESENCE_COALESCE_MS + 100)); // ana's own arrival is out
    const frames: PresenceUpdate[][] = [];
    const single = (u: PresenceUpdate) => frames.push([u]);
    a.on("presence:update", single);
    a.on("presence:batch", (us: PresenceUpdate[]) => frames.push(us));
    await Promise.all([...others, stranger].map((u) => client(server, u)));
    await new Promise((r) => setTimeout(r, PRESENCE_COALESCE_MS * 3));
    const seen = frames.flat();
    expect(new Set(seen.map((u) => u.userId))).toEqual(new Set(others.map((u) => u.id)));
    expect(seen.every((u) => u.status === "online")).toBe(true);
    expect(frames.length).toBeLessThan(others.length); // coalesced, not one frame per arrival
    a.off("presence:update", single);
  });
});

/** The same scenario on one node (memory state) and across two nodes (Redis). */
function scenario(name: string, make: () => Promise<[Server, Server]>, skip = false) {
  describe.skipIf(skip)(name, () => {
    it("presence, typing and messages reach the other member", async () => {
      const [n1, n2] = await make();
      const ana = await makeUser("ana");
      const bo = await makeUser("bo");
      const eve = await makeUser("eve");
      const room = await makeRoom(ana);
      await joinRoom(bo, room.id);

      const a = await client(n1, ana);
      await call(a, "room:join", { roomId: room.id });
      const boOnline = presenceOf(a, bo.id, "online");
      const b = await client(n2, bo);
      await boOnline;
      await call(b, "room:join", { roomId: room.id });
      expect(await call(a, "presence:list", { roomId: room.id })).toEqual({
        ok: true,
        data: { [ana.id]: "online", [bo.id]: "online" },
      });

      // away when every tab is idle, online again when one is active
      const away = presenceOf(a, bo.id, "away");
      expect(await call(b, "presence:set", { state: "idle" })).toEqual({
        ok: true,
        data: { status: "away" },
      });
      await away;
      const back = presenceOf(a, bo.id, "online");
      await call(b, "presence:set", { state: "active" });
      await back;
      expect((await call(b, "presence:set", { state: "asleep" })).ok).toBe(false);

      // typing: one broadcast per 2 s, members only, stop clears
      const typing = nextEvent<TypingUpdate>(a, "typing:update");
      expect(await call(b, "typing:start", { roomId: room.id })).toEqual({
        ok: true,
        data: { broadcast: true },
      });
      expect(await typing).toMatchObject({ roomId: room.id, user: { id: bo.id }, typing: true });
      expect(await call(b, "typing:start", { roomId: room.id })).toEqual({
        ok: true,
        data: { broadcast: false },
      });
      const stopped = nextEvent<TypingUpdate>(a, "typing:update");
      await call(b, "typing:stop", { roomId: room.id });
      expect(await stopped).toMatchObject({ user: { id: bo.id }, typing: false });
      const e = await client(n2, eve);
      expect((await call(e, "typing:start", { roomId: room.id })).ok).toBe(false);
      expect((await call(e, "typing:start", { roomId: "nope" })).ok).toBe(false);

      // messages cross nodes
      const incoming = nextEvent<ChatMessage>(a, "message:new");
      const sent = await call<ChatMessage>(b, "message:send", {
        roomId: room.id,
        clientId: randomUUID(),
        body: "hi",
      });
      expect(await incoming).toEqual(sent.ok && sent.data);

      // offline only after the grace period, and not at all when a new tab comes back in time
      const second = await client(n1, bo);
      b.disconnect();
      await new Promise((r) => setTimeout(r, 300));
      const list = await call<Record<string, PresenceStatus>>(a, "presence:list", { roomId: room.id });
      expect(list.ok && list.data[bo.id]).toBe("online");
      const offline = presenceOf(a, bo.id, "offline");
      second.disconnect();
      await offline;
    }, 30_000);
  });
}

scenario("one node (in-memory state)", async () => {
  const s = await startRealtime(new MemoryState());
  cleanup.push(() => s.close());
  return [s, s];
});

const redisUrl = externalRedisUrl();
scenario(
  "two nodes sharing Redis",
  async () => {
    if (!redisUrl) throw new Error("unreachable: skipped without Redis");
    const prefix = `beacon-test-${randomUUID().slice(0, 8)}`;
    const states: SharedState[] = [await redisState(redisUrl, prefix), await redisState(redisUrl, prefix)];
    const n1 = await startRealtime(states[0], prefix);
    const n2 = await startRealtime(states[1], prefix);
    cleanup.push(async () => {
      await n1.close();
      await n2.close();
      for (const s of states) await s.close();
    });
    return [n1, n2];
  },
  !redisUrl,
);
