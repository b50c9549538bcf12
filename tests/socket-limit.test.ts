import { afterEach, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { env, parseEnv } from "@/lib/env";
import { MemoryState, type SharedState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeUser } from "./helpers/fixtures";
import { connectAs, connected, startRealtime, startTwoNodes, type TestClient } from "./helpers/realtime";
import { externalRedisUrl } from "./helpers/services";

type Node = Awaited<ReturnType<typeof startRealtime>>;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** Connect one socket of `user` to `node` and wait until the shared state counts it. */
async function open(
  node: Node,
  state: SharedState,
  user: SessionUser,
  expected: number,
): Promise<TestClient> {
  const s = await connectAs(node.url, user);
  cleanup.push(async () => {
    s.close();
  });
  await connected(s);
  for (let i = 0; i < 100; i++) {
    const mine = (await state.sockets([user.id])).get(user.id) ?? [];
    if (mine.some((e) => e.socketId === s.id) && mine.length >= expected) return s;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error("socket not recorded");
}

/** Everything the server told `s` (socket:closing) and how it ended. */
function watch(s: TestClient) {
  const seen = { closing: [] as { reason: string; message: string }[], disconnect: "" };
  s.on("socket:closing", (c) => seen.closing.push(c));
  s.on("disconnect", (why) => {
    seen.disconnect = why;
  });
  return seen;
}

async function limitScenario(nodes: [Node, Node], states: [SharedState, SharedState]) {
  const max = env().MAX_SOCKETS_PER_USER;
  expect(max).toBe(20); // the default
  const user = await makeUser("tabs");
  const sockets: TestClient[] = [];
  for (let i = 0; i < max; i++) sockets.push(await open(nodes[0], states[0], user, i + 1));
  const watched = sockets.map(watch);
  // The 21st (on the other node when there are two).
  const newest = await open(nodes[1], states[1], user, max);
  await expect.poll(() => watched[0]?.disconnect, { timeout: 5000 }).toBe("io server disconnect");
  expect(watched[0]?.closing).toEqual([
    { reason: "too_many_sockets", message: expect.stringMatching(/too many Beacon tabs or devices/) },
  ]);
  // Only the oldest went; the newest and the 19 others stay.
  await new Promise((r) => setTimeout(r, 300));
  expect(sockets.slice(1).every((s) => s.connected)).toBe(true);
  expect(watched.slice(1).every((w) => w.closing.length === 0)).toBe(true);
  expect(newest.connected).toBe(true);
  const counted = (await states[0].sockets([user.id])).get(user.id) ?? [];
  expect(counted).toHaveLength(max);
  expect(counted.some((e) => e.socketId === sockets[0]?.id)).toBe(false);
}

describe("sockets per user", () => {
  it("the 21st socket closes the first, which is told why (one node)", async () => {
    const state = new MemoryState();
    const node = await startRealtime(state);
    cleanup.push(() => node.close());
    await limitScenario([node, node], [state, state]);
  });

  it("the limit is configurable, and a user under it loses nothing", async () => {
    const state = new MemoryState();
    const node = await startRealtime(state, undefined, { maxSocketsPerUser: 2 });
    cleanup.push(() => node.close());
    const user = await makeUser("two");
    const other = await makeUser("other");
    const a = watch(await open(node, state, user, 1));
    const b = watch(await open(node, state, user, 2));
    const o = watch(await open(node, state, other, 1));
    await open(node, state, user, 2);
    await expect.poll(() => a.disconnect, { timeout: 5000 }).toBe("io server disconnect");
    expect(a.closing.map((c) => c.reason)).toEqual(["too_many_sockets"]);
    expect([b.disconnect, o.disconnect]).toEqual(["", ""]);
    expect(parseEnv({ NODE_ENV: "test", MAX_SOCKETS_PER_USER: "5" }).MAX_SOCKETS_PER_USER).toBe(5);
    expect(() => parseEnv({ NODE_ENV: "test", MAX_SOCKETS_PER_USER: "0" })).toThrow(/MAX_SOCKETS_PER_USER/);
  });

  const redisUrl = externalRedisUrl();
  it.skipIf(!redisUrl)(
    "counts across nodes sharing Redis: a socket on node 2 closes the oldest on node 1",
    async () => {
      if (!redisUrl) throw new Error("unreachable: skipped without Redis");
      const { nodes, states, close } = await startTwoNodes(redisUrl);
      cleanup.push(async () => {
        await close();
        await disconnectDb();
      });
      await limitScenario(nodes, states);
    },
  );
});
