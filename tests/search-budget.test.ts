// Search cannot be turned against the server: it reads only what the searcher may see (an unknown or
// unseen in:#room reads no message at all), every statement has a timeout, and searches have their own
// small concurrency budget so sends always find a database connection.
// This file runs in a database of its own: it counts reads of "Message" in PostgreSQL's statistics,
// which other test files working at the same time would disturb.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb } from "@/lib/db/client";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { sendMessage } from "@/lib/messages/messages.service";
import { searchBudget, searchMessages } from "@/lib/search/search.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { seedMessages } from "@/scripts/measure-lib";
import { makeRoom, makeUser } from "./helpers/fixtures";

const name = `beacon_search_${process.pid}_${Date.now()}`;
const url = (() => {
  const u = new URL(process.env.TEST_SERVER_URL as string);
  u.pathname = `/${name}`;
  return u.toString();
})();
const defaults = { ...searchBudget };

let owner: SessionUser;
let outsider: SessionUser;
let hiddenName: string;
let lobbyId: string;

async function withClient<T>(fn: (c: pg.Client) => Promise<T>, target = url): Promise<T> {
  const c = new pg.Client({ connectionString: target });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * Rows of "Message" read so far (sequential and index fetches). A backend reports its counts when it
 * exits, so the app's pool is closed first and we wait until no backend of this database is left.
 */
async function messageReads(): Promise<number> {
  await disconnectDb();
  return withClient(async (c) => {
    for (;;) {
      const { rows } = await c.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
        [name],
      );
      if (rows[0]?.n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await c.query("SELECT pg_stat_clear_snapshot()");
    const { rows } = await c.query<{ n: string }>(
      `SELECT (coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0))::text AS n
       FROM pg_stat_user_tables WHERE relname = 'Message'`,
    );
    return Number(rows[0]?.n ?? 0);
  });
}

beforeAll(async () => {
  await ensureDatabase(url);
  await migrate(url);
  await disconnectDb();
  process.env.DATABASE_URL = url; // the app's pool opens on this database from now on
  owner = await makeUser("owner");
  outsider = await makeUser("outsider");
  const hidden = await makeRoom(owner, { isPrivate: true });
  hiddenName = hidden.name;
  await seedMessages(url, hidden.id, owner.id, 30_000);
  const lobby = await makeRoom(owner);
  lobbyId = lobby.id;
  await seedMessages(url, lobby.id, owner.id, 200);
}, 120_000);

afterAll(async () => {
  Object.assign(searchBudget, defaults);
  await disconnectDb();
  const admin = new URL(url);
  admin.pathname = "/postgres";
  await withClient((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), admin.toString()).catch(
    () => {},
  );
});

describe("search reads only what the searcher may see", () => {
  it("an unknown or unseen in:#room answers without reading a single message", async () => {
    const before = await messageReads();
    for (const q of ["in:#nosuchroom e", `in:#${hiddenName} e`, `in:#${hiddenName} ticket7`]) {
      expect(await searchMessages(outsider, { q })).toEqual({ hits: [], hasMore: false });
    }
    expect((await messageReads()) - before).toBe(0);
  });

  it("without a room filter, reads only the visible rooms' messages, not the 30,000 others", async () => {
    const before = await messageReads();
    const common = await searchMessages(outsider, { q: "deploy" });
    const rare = await searchMessages(outsider, { q: "ticket17" });
    const reads = (await messageReads()) - before;
    const inLobby = (pattern: string) =>
      withClient(async (c) => {
        const { rows } = await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Message" WHERE "roomId" = $1 AND body ~ $2`,
          [lobbyId, pattern],
        );
        return rows[0]?.n ?? 0;
      });
    expect(common.hits).toHaveLength(Math.min(20, await inLobby("\\mdeploy")));
    expect(common.hits.length).toBeGreaterThan(0);
    expect(common.hits.every((h) => h.roomId === lobbyId)).toBe(true);
    // ticket17 and ticket170–179 (the hidden room has 1,111 more)
    expect(rare.hits).toHaveLength(await inLobby("\\mticket17"));
    expect(rare.hits.every((h) => h.roomId === lobbyId)).toBe(true);
    expect(reads).toBeLessThanOrEqual(2 * 200);
    // The owner sees both rooms and finds the hidden room's matches too.
    expect((await searchMessages(owner, { q: `in:#${hiddenName} ticket29999` })).hits).toHaveLength(1);
  });
});

describe("search budget", () => {
  it("runs a few searches at once, queues a few, refuses the rest at once, and a send still succeeds", async () => {
    Object.assign(searchBudget, { concurrent: 2, queued: 3, perUser: 100 });
    try {
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, () => searchMessages(owner, { q: "deploy" })),
      );
      const sent = await sendMessage(owner, { roomId: lobbyId, clientId: randomUUID(), body: "still here" });
      expect(sent.message.body).toBe("still here");
      const refused = outcomes.filter((o) => o.status === "rejected");
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(5);
      expect(refused).toHaveLength(5);
      for (const r of refused)
        expect((r as PromiseRejectedResult).reason).toMatchObject({
          code: "unavailable",
          message: "Search is busy right now. Try again in a moment.",
          extra: { retryAfterMs: 1000 },
        });
      // The budget is free again afterwards.
      expect((await searchMessages(owner, { q: "deploy" })).hits.length).toBe(20);
    } finally {
      Object.assign(searchBudget, defaults);
    }
  });

  it("one person gets at most their share of the slots; others still search meanwhile", async () => {
    const mine = Array.from({ length: 6 }, () => searchMessages(owner, { q: "deploy" }));
    const theirs = searchMessages(outsider, { q: "deploy" });
    const outcomes = await Promise.allSettled(mine);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(searchBudget.perUser);
    for (const o of outcomes.filter((x) => x.status === "rejected"))
      expect((o as PromiseRejectedResult).reason).toMatchObject({
        code: "rate_limited",
        message: "Your earlier searches are still running. Try again in a moment.",
        extra: { retryAfterMs: 1000 },
      });
    await expect(theirs).resolves.toMatchObject({ hasMore: expect.any(Boolean) });
    // Their share is back once those finished.
    expect((await searchMessages(owner, { q: "deploy" })).hits.length).toBe(20);
  });

  it("a search that outlasts the statement timeout gets a readable error", async () => {
    Object.assign(searchBudget, { timeoutMs: 1 });
    try {
      // The owner sees 30,200 messages: the rare word misses the recent window and goes to the index.
      await expect(searchMessages(owner, { q: "zebra" })).rejects.toMatchObject({
        code: "unavailable",
        message: "This search took too long. Add words, or narrow it to a room with in:#room.",
      });
    } finally {
      Object.assign(searchBudget, defaults);
    }
    expect(await searchMessages(owner, { q: "zebra" })).toEqual({ hits: [], hasMore: false });
  });
});
