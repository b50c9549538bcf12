import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import {
  editMessage,
  listChanges,
  listMessages,
  sendMessage,
  toggleReaction,
} from "@/lib/messages/messages.service";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { makeRoom, makeUser } from "./helpers/fixtures";

const send = (
  user: Parameters<typeof sendMessage>[0],
  roomId: string,
  body: string,
  clientId = randomUUID(),
) => sendMessage(user, { roomId, clientId, body });

describe("sending", () => {
  it("assigns a gap-free per-room seq and stores the trimmed text", async () => {
    const ana = await makeUser("ana");
    const a = await makeRoom(ana);
    const b = await makeRoom(ana);
    expect((await send(ana, a.id, "  one \r\n two  ")).message).toMatchObject({ seq: 1, body: "one \n two" });
    expect((await send(ana, a.id, "three")).message.seq).toBe(2);
    expect((await send(ana, b.id, "other room")).message.seq).toBe(1);
  });

  it("acks the same id and creation time that history reads back, whatever the database's time zone", async () => {
    // An embedded database takes the time zone of whoever ran initdb; now() must still store UTC.
    const [row] = await db().$queryRaw<{ name: string }[]>`SELECT current_database()::text AS name`;
    const name = row?.name;
    await db().$executeRawUnsafe(`ALTER DATABASE "${name}" SET TimeZone = 'America/New_York'`);
    await disconnectDb(); // new connections pick the setting up
    try {
      const ana = await makeUser("ana");
      const room = await makeRoom(ana);
      const before = Date.now();
      const sent = (await send(ana, room.id, "when")).message;
      const listed = (await listMessages(ana, { roomId: room.id })).messages[0];
      expect(listed).toMatchObject({ id: sent.id, createdAt: sent.createdAt });
      expect(Math.abs(Date.parse(sent.createdAt) - before)).toBeLessThan(60_000);
    } finally {
      await db().$executeRawUnsafe(`ALTER DATABASE "${name}" RESET TimeZone`);
      await disconnectDb();
    }
  });

  it("keeps seq gap-free and unique under concurrent senders", async () => {
    const owner = await makeUser("own");
    const room = await makeRoom(owner);
    const users = [owner, ...(await Promise.all([1, 2, 3, 4].map(() => makeUser("c"))))];
    for (const u of users.slice(1)) await joinRoom(u, room.id);
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        send(users[i % users.length] as (typeof users)[0], room.id, `m${i}`),
      ),
    );
    const seqs = results.map((r) => r.message.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const stored = await db().room.findUniqueOrThrow({ where: { id: room.id } });
    expect(stored.lastSeq).toBe(60);
  });

  it("stores a mixed burst to one room together: each send gets its own outcome, seqs stay gap-free", async () => {
    // Sends that arrive while the room's previous insert runs are stored by one statement
    // (lib/messages/insert-batch.ts); a non-member, a repeated clientId and mentions in that batch
    // must each get exactly what a lone send would.
    const owner = await makeUser("bat");
    const room = await makeRoom(owner);
    const member = await makeUser("bm");
    await joinRoom(member, room.id);
    const outsider = await makeUser("bo");
    const twice = randomUUID();
    const jobs = [
      ...Array.from({ length: 40 }, (_, i) => send(i % 2 ? owner : member, room.id, `b${i}`)),
      send(outsider, room.id, "not a member"),
      send(owner, room.id, "same clientId", twice),
      send(owner, room.id, "same clientId", twice),
      send(member, room.id, `hi @${owner.username}`),
    ];
    const results = await Promise.allSettled(jobs);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason).toMatchObject({ code: "forbidden" });
    const ok = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const twins = ok.filter((r) => r.message.clientId === twice);
    expect(new Set(twins.map((r) => r.message.id)).size).toBe(1);
    expect(twins.filter((r) => r.created)).toHaveLength(1);
    const created = ok.filter((r) => r.created).map((r) => r.message.seq);
    expect(created.sort((x, y) => x - y)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
    expect(ok.find((r) => r.message.body.startsWith("hi @"))?.message.mentions).toEqual([owner.id]);
    expect(await db().mention.count({ where: { roomId: room.id } })).toBe(1);
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(42);
    expect((await db().room.findUniqueOrThrow({ where: { id: room.id } })).lastSeq).toBe(42);
    const marker = await db().membership.findUniqueOrThrow({
      where: { roomId_userId: { roomId: room.id, userId: member.id } },
    });
    const memberSeqs = ok
      .filter((r) => r.created && r.message.author.id === member.id)
      .map((r) => r.message.seq);
    expect(marker.lastReadSeq).toBe(Math.max(...memberSeqs));
  });

  it("is idempotent by clientId: retries, even concurrent ones, return the stored message", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const clientId = randomUUID();
    const first = await send(ana, room.id, "hello", clientId);
    expect(first.created).toBe(true);
    const again = await send(ana, room.id, "hello (edited by a buggy client)", clientId);
    expect(again.created).toBe(false);
    expect(again.message).toEqual(first.message);

    const racing = randomUUID();
    const all = await Promise.all(Array.from({ length: 8 }, () => send(ana, room.id, "race", racing)));
    expect(new Set(all.map((r) => r.message.id)).size).toBe(1);
    expect(all.filter((r) => r.created)).toHaveLength(1);
    const count = await db().message.count({ where: { roomId: room.id } });
    expect(count).toBe(2);
    // The failed racers rolled back their seq bump: the next message is 3, not 10.
    expect((await send(ana, room.id, "next")).message.seq).toBe(3);

    const other = await makeRoom(ana);
    await expect(send(ana, other.id, "reuse", clientId)).rejects.toMatchObject({ code: "conflict" });
  });

  it.each([
    ["", "cannot be empty"],
    ["   \n\t  ", "cannot be empty"],
    ["x".repeat(4001), "too long"],
    ["nul\u0000byte", "invalid character"],
  ])("rejects body %#", async (body, text) => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const err = await send(ana, room.id, body).catch((e) => e);
    expect(err).toMatchObject({ code: "validation" });
    expect(err.message).toContain(text);
    expect(await db().message.count({ where: { roomId: room.id } })).toBe(0);
  });

  it("accepts exactly 4,000 characters", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    expect((await send(ana, room.id, "é".repeat(4000))).message.body).toHaveLength(4000);
  });

  it("rejects malformed payloads and non-members", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const room = await makeRoom(ana);
    const secret = await makeRoom(ana, { isPrivate: true });
    for (const bad of [
      null,
      "x",
      { roomId: room.id, body: "x" },
      { roomId: room.id, clientId: "nope", body: "x" },
      {
        roomId: room.id,
        clientId: randomUUID(),
        body: 5,
      },
      { roomId: room.id, clientId: randomUUID(), body: "x", extra: 1 },
    ]) {
      await expect(sendMessage(ana, bad)).rejects.toMatchObject({ code: "validation" });
    }
    await expect(send(eve, room.id, "not a member")).rejects.toMatchObject({ code: "forbidden" });
    await expect(send(eve, secret.id, "hidden room")).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("history", () => {
  it("pages by keyset: latest, before, after, with hasMore", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    for (let i = 1; i <= 120; i++) await send(ana, room.id, `m${i}`);
    const latest = await listMessages(ana, { roomId: room.id });
    expect(latest.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    expect(latest.hasMore).toBe(true);
    const older = await listMessages(ana, { roomId: room.id, before: "71", limit: "100" });
    expect(older.messages[0]?.seq).toBe(1);
    expect(older.messages.at(-1)?.seq).toBe(70);
    expect(older.hasMore).toBe(false);
    const after = await listMessages(ana, { roomId: room.id, after: 100, limit: 10 });
    expect(after.messages.map((m) => m.seq)).toEqual([101, 102, 103, 104, 105, 106, 107, 108, 109, 110]);
    expect(after.hasMore).toBe(true);
    const tail = await listMessages(ana, { roomId: room.id, after: 120 });
    expect(tail).toEqual({ messages: [], hasMore: false });
    expect(latest.messages[0]).toMatchObject({ body: "m71", author: { id: ana.id, username: ana.username } });
  });

  it.each([
    [{ limit: 0 }, "limit"],
    [{ limit: 101 }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ before: -1 }, "before"],
    [{ after: 1.5 }, "after"],
    [{ before: 5, after: 1 }, "before"],
    [{ sort: "asc" }, ""],
  ])("rejects bad parameters %j", async (params, field) => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const err = await listMessages(ana, { roomId: room.id, ...params }).catch((e) => e);
    expect(err).toMatchObject({ code: "validation" });
    expect(Object.keys(err.extra.fields)).toContain(field);
  });

  it("lets anyone read a public room but only members read a private one", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const open = await makeRoom(ana);
    const secret = await makeRoom(ana, { isPrivate: true });
    await send(ana, open.id, "public hello");
    await send(ana, secret.id, "private hello");
    expect((await listMessages(eve, { roomId: open.id })).messages).toHaveLength(1);
    await expect(listMessages(eve, { roomId: secret.id })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("changes since a rev (message:changes)", () => {
  it("does not stop silently at 1,000 changes: hasMore and a rev cursor to resume from", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    // 1,001 changed messages (rev 1…1001), written directly: through the services this takes minutes.
    await db().$executeRaw`
      INSERT INTO "Message" ("roomId", seq, "authorId", "clientId", body, rev)
      SELECT ${room.id}::uuid, g, ${ana.id}::uuid, gen_random_uuid(), 'm' || g, g
      FROM generate_series(1, 1001) AS g`;
    await db().$executeRaw`UPDATE "Room" SET rev = 1001 WHERE id = ${room.id}::uuid`;
    const all = { roomId: room.id, fromSeq: 1, toSeq: 1001 };
    const first = await listChanges(ana, { ...all, sinceRev: 0 });
    expect(first.messages).toHaveLength(1000);
    expect(first).toMatchObject({ hasMore: true, rev: 1000 });
    const rest = await listChanges(ana, { ...all, sinceRev: first.rev });
    expect(rest.messages.map((m) => m.seq)).toEqual([1001]);
    expect(rest).toMatchObject({ hasMore: false, rev: 1001 });
  });

  it("pages by rev with a smaller limit and ends at the room's rev", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const ms = [];
    for (let i = 0; i < 5; i++) ms.push((await send(ana, room.id, `m${i}`)).message);
    for (const m of ms) await toggleReaction(ana, { roomId: room.id, messageId: m.id, emoji: "👍" });
    const edited = await editMessage(ana, {
      roomId: room.id,
      messageId: (ms[0] as { id: string }).id,
      body: "e",
    });
    const seen: number[] = [];
    let sinceRev = 0;
    let pages = 0;
    for (;;) {
      const page = await listChanges(ana, { roomId: room.id, sinceRev, fromSeq: 1, toSeq: 5, limit: 2 });
      pages++;
      seen.push(...page.messages.map((m) => m.seq));
      expect(page.rev).toBeGreaterThan(sinceRev);
      sinceRev = page.rev;
      if (!page.hasMore) break;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([2, 3, 4, 5, 1]); // rev order; message 1 was edited last
    expect(sinceRev).toBe(edited.rev);
    const none = await listChanges(ana, { roomId: room.id, sinceRev, fromSeq: 1, toSeq: 5 });
    expect(none).toEqual({ messages: [], rev: edited.rev, hasMore: false });
    for (const limit of [0, 1001, "x"]) {
      await expect(
        listChanges(ana, { roomId: room.id, sinceRev: 0, fromSeq: 1, toSeq: 5, limit }),
      ).rejects.toMatchObject({ code: "validation" });
    }
  });
});
