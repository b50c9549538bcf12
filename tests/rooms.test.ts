import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  addMember,
  createRoom,
  getRoomForViewer,
  joinRoom,
  leaveRoom,
  listMembers,
  listMyRooms,
  listPublicRooms,
} from "@/lib/rooms/rooms.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

describe("rooms", () => {
  it("creates a room owned by its creator, with case-insensitively unique names", async () => {
    const ana = await makeUser("ana");
    const name = unique("General");
    const room = await createRoom(ana, { name: `  ${name} `, topic: "all hands" });
    expect(room).toMatchObject({
      name,
      topic: "all hands",
      isPrivate: false,
      isOwner: true,
      isMember: true,
      memberCount: 1,
    });
    await expect(createRoom(ana, { name: name.toUpperCase() })).rejects.toMatchObject({
      code: "conflict",
      extra: { fields: { name: ["A room with that name already exists"] } },
    });
    await expect(createRoom(ana, { name: "   " })).rejects.toMatchObject({ code: "validation" });
    await expect(createRoom(ana, { name: "x".repeat(65) })).rejects.toMatchObject({ code: "validation" });
    await expect(createRoom(ana, { name: "ok", topic: "t".repeat(251) })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(createRoom(ana, { name: "ok", owner: "someone" })).rejects.toMatchObject({
      code: "validation",
    });
  });

  it("a private room's name is not taken for anyone else: its existence does not leak", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const name = unique("Secret Plans");
    const secret = await createRoom(ana, { name, isPrivate: true });
    // Bo cannot tell the private room exists: a public or private room of the same name is his to create.
    const open = await createRoom(bo, { name: name.toLowerCase() });
    expect(open.id).not.toBe(secret.id);
    const own = await createRoom(bo, { name, isPrivate: true });
    expect(own.id).not.toBe(secret.id);
    // Public names stay unique, whoever asks (they are visible in Browse anyway).
    await expect(createRoom(ana, { name: name.toUpperCase() })).rejects.toMatchObject({ code: "conflict" });
    const browse = await listPublicRooms(bo, name);
    expect(browse.map((r) => r.id)).toEqual([open.id]);
  });

  it("lists public rooms with member counts; joining and leaving update them", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    const hidden = await makeRoom(ana, { isPrivate: true });
    let listed = await listPublicRooms(bo, room.name);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: room.id, memberCount: 1, isMember: false });
    expect((await listPublicRooms(bo)).some((r) => r.id === hidden.id)).toBe(false);

    await joinRoom(bo, room.id);
    await joinRoom(bo, room.id); // idempotent
    listed = await listPublicRooms(bo, room.name);
    expect(listed[0]).toMatchObject({ memberCount: 2, isMember: true });
    expect((await listMyRooms(bo)).map((r) => r.id)).toContain(room.id);

    await leaveRoom(bo, room.id);
    expect((await listMyRooms(bo)).map((r) => r.id)).not.toContain(room.id);
    expect((await listPublicRooms(bo, room.name))[0]).toMatchObject({ memberCount: 1, isMember: false });
  });

  it("an owner who leaves hands the room to the longest-standing member", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const cy = await makeUser("cy");
    const room = await makeRoom(ana, { isPrivate: true });
    await addMember(ana, room.id, { username: bo.username });
    await addMember(ana, room.id, { username: cy.username });
    await leaveRoom(ana, room.id);
    await expect(getRoomForViewer(bo, room.id)).resolves.toMatchObject({ isOwner: true });
    await expect(getRoomForViewer(cy, room.id)).resolves.toMatchObject({ isOwner: false });
    // The private room is not stranded: its new owner can let people (back) in.
    await expect(addMember(bo, room.id, { username: ana.username })).resolves.toMatchObject({
      role: "member",
    });
    expect((await listMembers(bo, room.id)).map((m) => [m.username, m.role])).toContainEqual([
      bo.username,
      "owner",
    ]);
    // The last one out leaves the room to nobody; it is still there, empty.
    const solo = await makeRoom(cy);
    await leaveRoom(cy, solo.id);
    await expect(getRoomForViewer(cy, solo.id)).resolves.toMatchObject({ isMember: false, memberCount: 0 });
  });

  it("keeps private rooms invisible to non-members (404, not 403)", async () => {
    const ana = await makeUser("ana");
    const eve = await makeUser("eve");
    const room = await makeRoom(ana, { isPrivate: true });
    await expect(getRoomForViewer(eve, room.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(joinRoom(eve, room.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(listMembers(eve, room.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(addMember(eve, room.id, { username: eve.username })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(getRoomForViewer(eve, "not-a-uuid")).rejects.toMatchObject({ code: "not_found" });
    await expect(getRoomForViewer(eve, "00000000-0000-4000-8000-000000000000")).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("lets only the owner add members to a private room, by username", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const cy = await makeUser("cy");
    const room = await makeRoom(ana, { isPrivate: true });
    await expect(addMember(ana, room.id, { username: unique("ghost") })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(addMember(ana, room.id, { username: "!" })).rejects.toMatchObject({ code: "validation" });
    const added = await addMember(ana, room.id, { username: bo.username.toUpperCase() });
    expect(added).toMatchObject({ id: bo.id, role: "member" });
    await addMember(ana, room.id, { username: bo.username }); // idempotent
    expect(await getRoomForViewer(bo, room.id)).toMatchObject({
      isMember: true,
      isOwner: false,
      memberCount: 2,
    });
    await expect(addMember(bo, room.id, { username: cy.username })).rejects.toMatchObject({
      code: "forbidden",
    });
    const members = await listMembers(bo, room.id);
    expect(members.map((m) => [m.username, m.role])).toEqual([
      [ana.username, "owner"],
      [bo.username, "member"],
    ]);
    await leaveRoom(bo, room.id);
    await expect(getRoomForViewer(bo, room.id)).rejects.toMatchObject({ code: "not_found" });
  });

  it("owner and heir leaving at once: nobody gets an error and the owner is always still in the room", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const cy = await makeUser("cy");
    const dan = await makeUser("dan");
    for (let round = 0; round < 15; round++) {
      const room = await makeRoom(ana, { isPrivate: round % 2 === 0 });
      // Joined in this order, so bo is the heir.
      for (const u of [bo, cy, dan]) await addMember(ana, room.id, { username: u.username });
      const leavers = round % 3 === 2 ? [ana, bo, cy] : [ana, bo];
      await Promise.all(leavers.map((u) => leaveRoom(u, room.id)));
      const stored = await db().room.findUniqueOrThrow({
        where: { id: room.id },
        select: { ownerId: true, memberships: { select: { userId: true, role: true } } },
      });
      const stayed = [cy, dan].filter((u) => !leavers.includes(u)).map((u) => u.id);
      expect(stored.memberships.map((m) => m.userId).sort()).toEqual([...stayed].sort());
      expect(stayed).toContain(stored.ownerId);
      expect(stored.memberships.filter((m) => m.role === "owner").map((m) => m.userId)).toEqual([
        stored.ownerId,
      ]);
      const owner = stayed.includes(cy.id) ? cy : dan;
      await expect(getRoomForViewer(owner, room.id)).resolves.toMatchObject({ isOwner: true });
    }
  });

  it("the last one out stays the owner: of a public room again on rejoining; a private one is gone", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(ana);
    await leaveRoom(ana, room.id);
    await joinRoom(bo, room.id);
    expect(await getRoomForViewer(bo, room.id)).toMatchObject({ isOwner: false, isMember: true });
    await expect(joinRoom(ana, room.id)).resolves.toMatchObject({ isOwner: true, isMember: true });
    expect((await listMembers(ana, room.id)).map((m) => [m.username, m.role])).toEqual([
      [ana.username, "owner"],
      [bo.username, "member"],
    ]);

    const hidden = await makeRoom(ana, { isPrivate: true });
    await leaveRoom(ana, hidden.id);
    await expect(getRoomForViewer(ana, hidden.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(joinRoom(ana, hidden.id)).rejects.toMatchObject({ code: "not_found" });
  });
});
