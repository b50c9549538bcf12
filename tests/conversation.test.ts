import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  deleteMessage,
  editMessage,
  listChanges,
  listMessages,
  sendMessage,
  toggleReaction,
} from "@/lib/messages/messages.service";
import {
  addMember,
  getRoomForViewer,
  joinRoom,
  leaveRoom,
  markRead,
  openDm,
  setMuted,
  sidebar,
} from "@/lib/rooms/rooms.service";
import { listMentions, searchMessages } from "@/lib/search/search.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

const send = (u: SessionUser, roomId: string, body: string, extra: object = {}) =>
  sendMessage(u, { roomId, clientId: randomUUID(), body, ...extra }).then((r) => r.message);

describe("direct messages", () => {
  it("one DM per set of people, named per viewer; group DMs up to 8", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const first = await openDm(ana, { usernames: [bo.username] });
    expect(first.created).toBe(true);
    expect(first.room).toMatchObject({ kind: "dm", isPrivate: true, name: bo.displayName, memberCount: 2 });
    const again = await openDm(bo, { usernames: [ana.username.toUpperCase()] });
    expect(again.created).toBe(false);
    expect(again.room.id).toBe(first.room.id);
    expect(again.room.name).toBe(ana.displayName);

    const people = await Promise.all(Array.from({ length: 7 }, () => makeUser("g")));
    const group = await openDm(ana, { usernames: people.map((p) => p.username) });
    expect(group.room.memberCount).toBe(8);
    // A group DM's name: the others by display name, the same for every read (header, sidebar).
    const others = (viewer: SessionUser) =>
      [ana, ...people]
        .filter((p) => p.id !== viewer.id)
        .map((p) => p.displayName)
        .sort((a, b) => a.localeCompare(b, "en"))
        .join(", ");
    expect(group.room.name).toBe(others(ana));
    const third = people[2] as SessionUser;
    expect((await getRoomForViewer(third, group.room.id)).name).toBe(others(third));
    expect((await sidebar(third)).find((r) => r.id === group.room.id)?.name).toBe(others(third));
    const tooMany = [...people, await makeUser("x")].map((p) => p.username);
    await expect(openDm(ana, { usernames: tooMany })).rejects.toMatchObject({ code: "validation" });
    await expect(openDm(ana, { usernames: [unique("ghost")] })).rejects.toMatchObject({ code: "not_found" });
    await expect(openDm(ana, { usernames: [] })).rejects.toMatchObject({ code: "validation" });

    const eve = await makeUser("eve");
    await expect(getRoomForViewer(eve, first.room.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(addMember(ana, first.room.id, { username: eve.username })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(leaveRoom(ana, first.room.id)).rejects.toMatchObject({ code: "validation" });

    await send(bo, first.room.id, "hello in the DM");
    const list = await sidebar(ana);
    const dms = list.filter((r) => r.kind === "dm");
    expect(dms[0]?.id).toBe(first.room.id); // latest activity first
    expect(dms[0]).toMatchObject({ name: bo.displayName, unread: 1 });
  });
});

describe("edit, delete, reactions, replies", () => {
  it("edits and deletes with the right permissions; history and the change feed agree", async () => {
    const owner = await makeUser("own");
    const ana = await makeUser("ana");
    const room = await makeRoom(owner);
    await joinRoom(ana, room.id);
    const m1 = await send(ana, room.id, "first draft");
    const m2 = await send(ana, room.id, "to be removed by the owner");
    const startRev = (await getRoomForViewer(ana, room.id)).rev;

    await expect(
      editMessage(owner, { roomId: room.id, messageId: m1.id, body: "hijack" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
    const edited = await editMessage(ana, { roomId: room.id, messageId: m1.id, body: "final text" });
    expect(edited).toMatchObject({ body: "final text", seq: m1.seq });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.rev).toBeGreaterThan(startRev);
    await expect(editMessage(ana, { roomId: room.id, messageId: m1.id, body: "  " })).rejects.toMatchObject({
      code: "validation",
    });

    await expect(deleteMessage(ana, { roomId: room.id, messageId: randomUUID() })).rejects.toMatchObject({
      code: "not_found",
    });
    const deleted = await deleteMessage(owner, { roomId: room.id, messageId: m2.id }); // owner may delete anyone's
    expect(deleted).toMatchObject({ deleted: true, body: "", seq: m2.seq });
    await expect(
      editMessage(ana, { roomId: room.id, messageId: m2.id, body: "revive" }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    const bo = await makeUser("bo");
    await joinRoom(bo, room.id);
    await expect(deleteMessage(bo, { roomId: room.id, messageId: m1.id })).rejects.toMatchObject({
      code: "forbidden",
    });

    const history = await listMessages(ana, { roomId: room.id });
    expect(history.messages.map((m) => [m.body, m.deleted])).toEqual([
      ["final text", false],
      ["", true],
    ]);
    const changes = await listChanges(ana, { roomId: room.id, sinceRev: startRev, fromSeq: 1, toSeq: 10 });
    expect(changes.messages.map((m) => m.seq).sort()).toEqual([m1.seq, m2.seq]);
    expect(changes.rev).toBe(deleted.rev);
  });

  it("toggles reactions with who-reacted, and refuses what is not an emoji", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    const m = await send(ana, room.id, "react to me");
    await toggleReaction(ana, { roomId: room.id, messageId: m.id, emoji: "👍" });
    let now = await toggleReaction(bo, { roomId: room.id, messageId: m.id, emoji: "👍" });
    now = await toggleReaction(bo, { roomId: room.id, messageId: m.id, emoji: "🎉" });
    expect(now.reactions).toEqual([
      {
        emoji: "👍",
        count: 2,
        users: [
          { id: ana.id, displayName: ana.displayName },
          { id: bo.id, displayName: bo.displayName },
        ],
      },
      { emoji: "🎉", count: 1, users: [{ id: bo.id, displayName: bo.displayName }] },
    ]);
    now = await toggleReaction(bo, { roomId: room.id, messageId: m.id, emoji: "👍" });
    expect(now.reactions[0]).toMatchObject({ emoji: "👍", count: 1 });
    for (const emoji of ["👍🏽", "🇫🇷", "❤️", "👩‍👩‍👧"]) {
      expect(
        (await toggleReaction(ana, { roomId: room.id, messageId: m.id, emoji })).reactions.some(
          (r) => r.emoji === emoji,
        ),
      ).toBe(true);
    }
    for (const emoji of ["", "a", "👍👍", "<img>", ":tada:", "x".repeat(40)]) {
      await expect(toggleReaction(ana, { roomId: room.id, messageId: m.id, emoji })).rejects.toMatchObject({
        code: "validation",
      });
    }
    const eve = await makeUser("eve");
    await expect(
      toggleReaction(eve, { roomId: room.id, messageId: m.id, emoji: "👍" }),
    ).rejects.toMatchObject({
      code: "forbidden",
    });
  });

  it("replies carry a snippet of the original, which must be in the same room", async () => {
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const other = await makeRoom(ana);
    const original = await send(ana, room.id, "the original question?");
    const reply = await send(ana, room.id, "the answer", { replyToId: original.id });
    expect(reply.replyTo).toEqual({
      id: original.id,
      seq: original.seq,
      authorName: ana.displayName,
      snippet: "the original question?",
      deleted: false,
    });
    await expect(send(ana, other.id, "cross-room", { replyToId: original.id })).rejects.toMatchObject({
      code: "validation",
    });
    await deleteMessage(ana, { roomId: room.id, messageId: original.id });
    const page = await listMessages(ana, { roomId: room.id });
    expect(page.messages[1]?.replyTo).toMatchObject({ deleted: true, snippet: "" });
  });
});

describe("mentions, unread, mute", () => {
  it("counts unread and mentions per member until read; other rooms are untouched", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await joinRoom(bo, room.id);
    await send(ana, room.id, `hey @${bo.username}, look`);
    await send(ana, room.id, "unrelated email me@example.com and @nobodyatall");
    const m3 = await send(ana, room.id, `@${bo.username.toUpperCase()} again`);
    expect(m3.mentions).toEqual([bo.id]);
    let mine = (await sidebar(bo)).find((r) => r.id === room.id);
    expect(mine).toMatchObject({ unread: 3, mentions: 2 });
    expect((await sidebar(ana)).find((r) => r.id === room.id)).toMatchObject({ unread: 0, mentions: 0 });
    expect(await markRead(bo, { roomId: room.id, seq: 2 })).toEqual({ roomId: room.id, lastReadSeq: 2 });
    expect(await markRead(bo, { roomId: room.id, seq: 1 })).toEqual({ roomId: room.id, lastReadSeq: 2 }); // never back
    mine = (await sidebar(bo)).find((r) => r.id === room.id);
    expect(mine).toMatchObject({ unread: 1, mentions: 1 });
    expect(await markRead(bo, { roomId: room.id, seq: 999 })).toEqual({ roomId: room.id, lastReadSeq: 3 });
    const mentions = await listMentions(bo);
    expect(mentions.map((m) => m.seq)).toEqual([3, 1]);
    expect(await setMuted(bo, { roomId: room.id, muted: true })).toEqual({ roomId: room.id, muted: true });
    expect((await sidebar(bo)).find((r) => r.id === room.id)?.muted).toBe(true);
    const eve = await makeUser("eve");
    await expect(markRead(eve, { roomId: room.id, seq: 1 })).rejects.toMatchObject({ code: "forbidden" });
  });
});

describe("search", () => {
  it("finds words with prefix matching, filters, highlights, and never leaks hidden rooms", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const word = `zq${randomUUID().slice(0, 6).replace(/-/g, "")}`;
    const open = await makeRoom(ana, { name: unique("open") });
    const secret = await makeRoom(ana, { isPrivate: true });
    await send(ana, open.id, `deploying ${word}plan tomorrow`);
    await send(ana, open.id, `the ${word}plan is ready`);
    await send(ana, secret.id, `secret ${word}plan`);
    const full = await searchMessages(ana, { q: `${word}plan` });
    expect(full.hits).toHaveLength(3);
    expect(full.hits[0]?.highlighted).toContain(`\u0002${word}plan\u0003`);
    const prefix = await searchMessages(ana, { q: `${word}pl` });
    expect(prefix.hits).toHaveLength(3);
    const stemmed = await searchMessages(ana, { q: `deploy ${word}plan` });
    expect(stemmed.hits).toHaveLength(1);
    const inRoom = await searchMessages(ana, { q: `${word}plan in:#${open.name}` });
    expect(inRoom.hits.map((h) => h.roomId)).toEqual([open.id, open.id]);
    const from = await searchMessages(ana, { q: `${word}plan from:@${eve.username}` });
    expect(from.hits).toHaveLength(0);
    const asEve = await searchMessages(eve, { q: `${word}plan` });
    expect(asEve.hits.map((h) => h.roomId)).toEqual([open.id, open.id]); // public yes, private never
    expect((asEve.hits[0]?.createdAt ?? "") >= (asEve.hits[1]?.createdAt ?? "")).toBe(true);
    const page1 = await searchMessages(ana, { q: `${word}plan`, limit: 2 });
    expect(page1.hasMore).toBe(true);
    const page2 = await searchMessages(ana, { q: `${word}plan`, limit: 2, before: page1.hits[1]?.messageId });
    expect(page2.hits).toHaveLength(1);
    expect(await searchMessages(ana, { q: "!!! ???" })).toEqual({ hits: [], hasMore: false });
    await expect(searchMessages(ana, { q: "" })).rejects.toMatchObject({ code: "validation" });
  });
});
