// Guests see only the rooms they were added to and the people in those rooms, in every service path;
// they cannot browse, create rooms, join public rooms or start conversations with anyone else. The
// role is read from the database: a session or socket that still says "member" does not help.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listMessages, sendMessage } from "@/lib/messages/messages.service";
import { roomPresence } from "@/lib/presence/presence";
import {
  addMember,
  createRoom,
  GUESTS_CANNOT_BROWSE,
  getRoomForViewer,
  joinRoom,
  listMembers,
  listPublicRooms,
  openDm,
} from "@/lib/rooms/rooms.service";
import { searchMessages } from "@/lib/search/search.service";
import { MemoryState } from "@/lib/state/shared-state";
import { getUserCard } from "@/lib/users/profile.service";
import { searchUsers } from "@/lib/users/users.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

async function world() {
  const tag = unique("g").slice(0, 10);
  const owner = await makeUser(`${tag}own`);
  const guest = await makeUser(`${tag}gst`, "guest");
  const mate = await makeUser(`${tag}mat`);
  const stranger = await makeUser(`${tag}str`);
  const shared = await makeRoom(owner, { isPrivate: true });
  await addMember(owner, shared.id, { username: guest.username });
  await addMember(owner, shared.id, { username: mate.username });
  const lobby = await makeRoom(stranger);
  await sendMessage(stranger, { roomId: lobby.id, clientId: crypto.randomUUID(), body: `lobbyword ${tag}` });
  await sendMessage(owner, { roomId: shared.id, clientId: crypto.randomUUID(), body: `sharedword ${tag}` });
  return { tag, owner, guest, mate, stranger, shared, lobby };
}

describe("guests", () => {
  it("cannot browse public rooms, create rooms, or see or join a public room they are not in", async () => {
    const { guest, lobby, shared } = await world();
    await expect(listPublicRooms(guest)).rejects.toMatchObject({
      code: "forbidden",
      message: GUESTS_CANNOT_BROWSE,
    });
    await expect(createRoom(guest, { name: unique("nope") })).rejects.toMatchObject({
      code: "forbidden",
      message: "Guests cannot create rooms",
    });
    await expect(getRoomForViewer(guest, lobby.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(joinRoom(guest, lobby.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(listMembers(guest, lobby.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(listMessages(guest, { roomId: lobby.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(roomPresence(new MemoryState(), guest, lobby.id)).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await db().membership.count({ where: { roomId: lobby.id, userId: guest.id } })).toBe(0);
    // Their own rooms work as for anyone.
    expect((await getRoomForViewer(guest, shared.id)).isMember).toBe(true);
    expect((await listMembers(guest, shared.id)).length).toBe(3);
    expect(await roomPresence(new MemoryState(), guest, shared.id)).toBeTypeOf("object");
  });

  it("find only people they share a room with, and start conversations only with them", async () => {
    const { tag, guest, mate, stranger } = await world();
    const found = (await searchUsers(guest, tag)).map((u) => u.id);
    expect(found).toContain(mate.id);
    expect(found).not.toContain(stranger.id);
    // A member finds everyone.
    expect((await searchUsers(mate, tag)).map((u) => u.id)).toContain(stranger.id);
    await expect(openDm(guest, { usernames: [stranger.username] })).rejects.toMatchObject({
      code: "not_found",
      message: `No user named @${stranger.username}`,
    });
    await expect(openDm(guest, { usernames: [mate.username, stranger.username] })).rejects.toMatchObject({
      code: "not_found",
    });
    const dm = await openDm(guest, { usernames: [mate.username] });
    expect(dm.created).toBe(true);
  });

  it("see the profile cards of people they share a room with only", async () => {
    const { guest, mate, stranger } = await world();
    expect((await getUserCard(guest, mate.username)).username).toBe(mate.username);
    expect((await getUserCard(guest, guest.username)).username).toBe(guest.username);
    await expect(getUserCard(guest, stranger.username)).rejects.toMatchObject({ code: "not_found" });
    // A member sees anyone's card.
    expect((await getUserCard(mate, stranger.username)).username).toBe(stranger.username);
  });

  it("search only the rooms they are in", async () => {
    const { tag, guest, mate } = await world();
    const hits = async (u: typeof guest, q: string) => (await searchMessages(u, { q })).hits.length;
    expect(await hits(guest, `lobbyword ${tag}`)).toBe(0);
    expect(await hits(guest, `sharedword ${tag}`)).toBe(1);
    expect(await hits(mate, `lobbyword ${tag}`)).toBe(1);
  });

  it("the role is read from the database, not from the (stale) session", async () => {
    const { stranger, lobby } = await world();
    const stale = { ...stranger }; // a socket's handshake said "member"
    await db().user.update({ where: { id: stranger.id }, data: { role: "guest" } });
    await expect(listPublicRooms(stale)).rejects.toMatchObject({ code: "forbidden" });
    await expect(createRoom(stale, { name: unique("x") })).rejects.toMatchObject({ code: "forbidden" });
    // A room they are in stays theirs.
    expect((await getRoomForViewer(stale, lobby.id)).isMember).toBe(true);
  });
});
