// Invite links: who may create, list and revoke them; what redeeming grants; that a link is never
// used more than its maxUses under a race; a clear, distinct message for each dead link; bans hold.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { INVALID_INVITE_MESSAGES } from "@/lib/invites/invites.schema";
import {
  acceptInvite,
  createInvite,
  listInvites,
  previewInvite,
  revokeInvite,
} from "@/lib/invites/invites.service";
import { addMember, listMyRooms } from "@/lib/rooms/rooms.service";
import { signUp } from "@/lib/users/users.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

const account = (name: string, invite?: string) => ({
  username: unique(name),
  displayName: name,
  password: "correct horse battery",
  ...(invite ? { invite } : {}),
});

async function auditOf(action: string, targetId: string) {
  return db().auditLog.findMany({ where: { action, targetId } });
}

describe("creating invites", () => {
  it("workspace invites: admins only (any role up to admin); audited", async () => {
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(admin);
    const invite = await createInvite(admin, {
      kind: "workspace",
      role: "admin",
      roomIds: [room.id],
      expiresIn: "1d",
      maxUses: 3,
    });
    expect(invite).toMatchObject({ kind: "workspace", role: "admin", uses: 0, maxUses: 3, status: "active" });
    expect(invite.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(invite.rooms.map((r) => r.id)).toEqual([room.id]);
    expect(new Date(invite.expiresAt as string).getTime() - Date.now()).toBeGreaterThan(86_000_000);
    expect(await auditOf("invite.create", invite.id)).toHaveLength(1);

    for (const role of ["moderator", "member", "guest"] as const) {
      const actor = await makeUser(role, role);
      await expect(createInvite(actor, { kind: "workspace" })).rejects.toMatchObject({ code: "forbidden" });
    }
    await expect(createInvite(admin, { kind: "workspace", role: "owner" })).rejects.toMatchObject({
      code: "validation",
    });
    await expect(createInvite(admin, { kind: "workspace", maxUses: 0 })).rejects.toMatchObject({
      code: "validation",
    });
  });

  it("workspace invites open only rooms the admin can see", async () => {
    const admin = await makeUser("admin", "admin");
    const other = await makeUser("other");
    const hidden = await makeRoom(other, { isPrivate: true });
    const mine = await makeRoom(admin, { isPrivate: true });
    await expect(createInvite(admin, { kind: "workspace", roomIds: [hidden.id] })).rejects.toMatchObject({
      code: "validation",
    });
    expect((await createInvite(admin, { kind: "workspace", roomIds: [mine.id] })).rooms).toHaveLength(1);
  });

  it("room invites: a private room's owner and moderators, and workspace moderators in it", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner, { isPrivate: true });
    const member = await makeUser("member");
    const roomMod = await makeUser("roommod");
    const wsMod = await makeUser("wsmod", "moderator");
    const outsider = await makeUser("outsider", "admin");
    for (const u of [member, roomMod, wsMod]) await addMember(owner, room.id, { username: u.username });
    await db().membership.update({
      where: { roomId_userId: { roomId: room.id, userId: roomMod.id } },
      data: { role: "moderator" },
    });
    for (const u of [owner, roomMod, wsMod]) {
      const invite = await createInvite(u, { kind: "room", roomId: room.id, expiresIn: "never" });
      expect(invite).toMatchObject({ kind: "room", role: "member", expiresAt: null });
    }
    await expect(createInvite(member, { kind: "room", roomId: room.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    // Not in the private room: it does not exist for them, admin or not.
    await expect(createInvite(outsider, { kind: "room", roomId: room.id })).rejects.toMatchObject({
      code: "not_found",
    });
    const open = await makeRoom(owner);
    await expect(createInvite(owner, { kind: "room", roomId: open.id })).rejects.toMatchObject({
      code: "validation",
    });
    // Listing: the room's moderators see its invites; a plain member gets a 404; admins see all.
    expect(await listInvites(owner, { roomId: room.id })).toHaveLength(3);
    await expect(listInvites(member, { roomId: room.id })).rejects.toMatchObject({ code: "not_found" });
    await expect(listInvites(member)).rejects.toMatchObject({ code: "not_found" });
    expect((await listInvites(outsider)).length).toBeGreaterThanOrEqual(3);
  });
});

describe("redeeming", () => {
  it("never exceeds maxUses: 30 sign-ups and 20 accepts race for a 5-use link", async () => {
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(admin, { isPrivate: true });
    const invite = await createInvite(admin, { kind: "workspace", roomIds: [room.id], maxUses: 5 });
    const existing = await Promise.all(Array.from({ length: 20 }, (_, i) => makeUser(`ex${i}`)));
    const results = await Promise.allSettled([
      ...Array.from({ length: 30 }, (_, i) => signUp(account(`race${i}`, invite.token))),
      ...existing.map((u) => acceptInvite(u, invite.token)),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    expect(ok).toHaveLength(5);
    for (const r of results)
      if (r.status === "rejected")
        expect(r.reason).toMatchObject({ code: "forbidden", message: INVALID_INVITE_MESSAGES.used_up });
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).uses).toBe(5);
    // Everyone who got in is in the room; nobody else is.
    expect(await db().membership.count({ where: { roomId: room.id } })).toBe(6);
  });

  it("an expired, used-up, revoked or unknown link each says so (preview, sign-up and accept)", async () => {
    const admin = await makeUser("admin", "admin");
    const user = await makeUser("user");
    const room = await makeRoom(admin);
    const expired = await createInvite(admin, { kind: "workspace", roomIds: [room.id] });
    await db().invite.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const used = await createInvite(admin, { kind: "workspace", roomIds: [room.id], maxUses: 1 });
    await signUp(account("first", used.token));
    const revoked = await createInvite(admin, { kind: "workspace", roomIds: [room.id] });
    const after = await revokeInvite(admin, revoked.id);
    expect(after.status).toBe("revoked");
    expect(await auditOf("invite.revoke", revoked.id)).toHaveLength(1);
    await revokeInvite(admin, revoked.id); // twice: no second entry
    expect(await auditOf("invite.revoke", revoked.id)).toHaveLength(1);

    const cases = [
      [expired.token, "expired", "forbidden"],
      [used.token, "used_up", "forbidden"],
      [revoked.token, "revoked", "forbidden"],
      ["A".repeat(32), "unknown", "not_found"],
      ["not a token", "unknown", "not_found"],
    ] as const;
    const messages = new Set<string>();
    for (const [token, reason, code] of cases) {
      const message = INVALID_INVITE_MESSAGES[reason];
      messages.add(message);
      expect(await previewInvite(token)).toEqual({ valid: false, reason, message });
      await expect(signUp(account("late", token))).rejects.toMatchObject({ code, message });
      await expect(acceptInvite(user, token)).rejects.toMatchObject({ code, message });
    }
    expect(messages.size).toBe(4);
    expect(await db().membership.count({ where: { roomId: room.id, userId: user.id } })).toBe(0);
  });

  it("a preview says what the link grants", async () => {
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(admin);
    const invite = await createInvite(admin, { kind: "workspace", role: "guest", roomIds: [room.id] });
    expect(await previewInvite(invite.token)).toMatchObject({
      valid: true,
      kind: "workspace",
      role: "guest",
      roleLabel: "Guest",
      rooms: [{ id: room.id, name: room.name, isPrivate: false }],
      invitedBy: admin.displayName,
    });
  });

  it("accepting joins the rooms, never changes the role, spends nothing when already in; sign-up is audited", async () => {
    const admin = await makeUser("admin", "admin");
    const room = await makeRoom(admin, { isPrivate: true });
    const invite = await createInvite(admin, { kind: "workspace", role: "guest", roomIds: [room.id] });
    const member = await makeUser("member");
    const res = await acceptInvite(member, invite.token);
    expect(res).toEqual({ joinedRoomIds: [room.id], landingRoomId: room.id });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("member");
    expect(await acceptInvite(member, invite.token)).toEqual({ joinedRoomIds: [], landingRoomId: room.id });
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).uses).toBe(1);

    const guest = await signUp(account("guest", invite.token));
    expect(guest.role).toBe("guest");
    const [entry] = await db().auditLog.findMany({ where: { action: "invite.accept", targetId: invite.id } });
    expect(entry).toMatchObject({
      actorId: guest.id,
      detail: { role: "guest", roomIds: [room.id], signUp: true },
    });
  });

  it("a room invite adds an existing user to the private room; a banned user is not re-added", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner, { isPrivate: true });
    const invite = await createInvite(owner, { kind: "room", roomId: room.id, maxUses: 10 });
    const joiner = await makeUser("joiner");
    expect((await acceptInvite(joiner, invite.token)).landingRoomId).toBe(room.id);
    expect((await listMyRooms(joiner)).map((r) => r.id)).toContain(room.id);

    const banned = await makeUser("banned");
    await db().roomBan.create({ data: { roomId: room.id, userId: banned.id, bannedById: owner.id } });
    await expect(acceptInvite(banned, invite.token)).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("banned"),
    });
    expect(await db().membership.count({ where: { roomId: room.id, userId: banned.id } })).toBe(0);
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).uses).toBe(1);

    // A workspace invite skips a room its redeemer is banned from, and joins the others.
    const admin = await makeUser("admin", "admin");
    await addMember(owner, room.id, { username: admin.username });
    const other = await makeRoom(admin);
    const ws = await createInvite(admin, { kind: "workspace", roomIds: [room.id, other.id] });
    expect(await acceptInvite(banned, ws.token)).toEqual({
      joinedRoomIds: [other.id],
      landingRoomId: other.id,
    });
    expect(await db().membership.count({ where: { roomId: room.id, userId: banned.id } })).toBe(0);
  });

  it("revoking: admins any invite, room moderators their room's; others get a 404", async () => {
    const owner = await makeUser("owner");
    const room = await makeRoom(owner, { isPrivate: true });
    const roomInvite = await createInvite(owner, { kind: "room", roomId: room.id });
    const admin = await makeUser("admin", "admin");
    const wsInvite = await createInvite(admin, { kind: "workspace" });
    const member = await makeUser("member");
    await expect(revokeInvite(member, roomInvite.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeInvite(owner, wsInvite.id)).rejects.toMatchObject({ code: "not_found" });
    await expect(revokeInvite(owner, "nope")).rejects.toMatchObject({ code: "not_found" });
    expect((await revokeInvite(owner, roomInvite.id)).status).toBe("revoked");
    expect((await revokeInvite(admin, wsInvite.id)).status).toBe("revoked");
  });
});
