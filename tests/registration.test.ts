// Who may create an account: the first account on a fresh server is its owner (exactly one, however
// many sign up at that moment, by password or OAuth), then the registration policy (open | invite |
// closed) holds in sign-up and OAuth first sign-in; new members join the default rooms.
// A database of its own: it needs an empty workspace, and it changes the workspace's settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { createInvite } from "@/lib/invites/invites.service";
import { listMyRooms } from "@/lib/rooms/rooms.service";
import {
  findOrCreateOAuthUser,
  oauthSignInRefusal,
  REGISTRATION_MESSAGES,
  signUp,
} from "@/lib/users/users.service";
import { updateWorkspaceSettings } from "@/lib/workspace/settings.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";
import { ownDatabase } from "./helpers/own-database";

const database = ownDatabase("registration");
beforeAll(() => database.open(), 60_000);
afterAll(() => database.drop());

const password = "correct horse battery";
const account = (name: string) => ({ username: unique(name), displayName: name, password });

async function roles(): Promise<string[]> {
  return (await db().user.findMany({ select: { role: true } })).map((r) => r.role);
}

async function emptyWorkspace(): Promise<void> {
  await db().room.deleteMany({});
  await db().user.deleteMany({});
  await db().workspace.update({ where: { id: 1 }, data: { registration: "open", defaultRoomIds: [] } });
}

describe("the first account", () => {
  it("is the owner, and of eight people signing up at once on a fresh server exactly one is", async () => {
    await emptyWorkspace();
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => signUp(account(`first${i}`))));
    const owners = made.filter((u) => u.role === "owner");
    expect(owners).toHaveLength(1);
    expect((await roles()).filter((r) => r === "owner")).toHaveLength(1);
    expect((await roles()).filter((r) => r === "member")).toHaveLength(7);
    // Later accounts are members.
    expect((await signUp(account("later"))).role).toBe("member");
  });

  it("is the owner when it comes through OAuth, racing password sign-ups", async () => {
    await emptyWorkspace();
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) =>
        findOrCreateOAuthUser({
          provider: "github",
          providerAccountId: `gh-${i}-${unique("x")}`,
          name: `Gh ${i}`,
        }),
      ),
      ...Array.from({ length: 4 }, (_, i) => signUp(account(`pw${i}`))),
    ]);
    expect((await roles()).filter((r) => r === "owner")).toHaveLength(1);
    expect(await db().user.count()).toBe(8);
  });
});

describe("registration policy", () => {
  it("open: anyone signs up; invite: only with a valid link; closed: nobody, not even with a link", async () => {
    await emptyWorkspace();
    const owner = await signUp(account("owner"));
    expect(owner.role).toBe("owner");
    const actor = { id: owner.id };
    expect((await signUp(account("open"))).role).toBe("member");

    await updateWorkspaceSettings(actor, { registration: "invite" });
    const before = await db().user.count();
    await expect(signUp(account("noinvite"))).rejects.toMatchObject({
      code: "forbidden",
      message: REGISTRATION_MESSAGES.invite,
    });
    await expect(signUp({ ...account("badinvite"), invite: "x".repeat(32) })).rejects.toMatchObject({
      code: "not_found",
      message: expect.stringContaining("not valid"),
    });
    expect(await db().user.count()).toBe(before);
    const invite = await createInvite(actor, { kind: "workspace", role: "moderator" });
    const invited = await signUp({ ...account("invited"), invite: invite.token });
    expect(invited.role).toBe("moderator");

    await updateWorkspaceSettings(actor, { registration: "closed" });
    await expect(signUp(account("closed"))).rejects.toMatchObject({
      code: "forbidden",
      message: REGISTRATION_MESSAGES.closed,
    });
    await expect(signUp({ ...account("closedinv"), invite: invite.token })).rejects.toMatchObject({
      code: "forbidden",
      message: REGISTRATION_MESSAGES.closed,
    });
    // The refused sign-ups spent nothing.
    expect((await db().invite.findUniqueOrThrow({ where: { id: invite.id } })).uses).toBe(1);
  });

  it("OAuth: a new identity is refused under invite/closed; a linked one still signs in", async () => {
    await emptyWorkspace();
    const owner = await signUp(account("owner"));
    const linked = { provider: "oidc", providerAccountId: unique("sub") };
    const first = await findOrCreateOAuthUser({ ...linked, name: "Linked" });
    await updateWorkspaceSettings({ id: owner.id }, { registration: "invite" });
    const fresh = { provider: "oidc", providerAccountId: unique("sub") };
    expect(await oauthSignInRefusal(fresh)).toBe("invite");
    expect(await oauthSignInRefusal(linked)).toBeNull();
    await expect(findOrCreateOAuthUser({ ...fresh, name: "New" })).rejects.toMatchObject({
      code: "forbidden",
      message: REGISTRATION_MESSAGES.invite,
    });
    expect((await findOrCreateOAuthUser({ ...linked, name: "Linked" })).id).toBe(first.id);
    await updateWorkspaceSettings({ id: owner.id }, { registration: "closed" });
    expect(await oauthSignInRefusal(fresh)).toBe("closed");
    expect(await db().account.count({ where: { providerAccountId: fresh.providerAccountId } })).toBe(0);
    await updateWorkspaceSettings({ id: owner.id }, { registration: "open" });
    expect(await oauthSignInRefusal(fresh)).toBeNull();
  });
});

describe("default rooms", () => {
  it("new members join the workspace's default rooms; guests only their invite's rooms", async () => {
    await emptyWorkspace();
    const owner = await signUp(account("owner"));
    const admin = await makeUser("admin", "admin");
    const lobby = await makeRoom(admin, { name: unique("lobby") });
    const news = await makeRoom(admin, { name: unique("news") });
    const guestRoom = await makeRoom(admin, { name: unique("guests"), isPrivate: true });
    await updateWorkspaceSettings({ id: owner.id }, { defaultRoomIds: [lobby.id, news.id] });

    const member = await signUp(account("newbie"));
    expect(member.roomIds.sort()).toEqual([lobby.id, news.id].sort());
    expect((await listMyRooms(member)).map((r) => r.id).sort()).toEqual([lobby.id, news.id].sort());

    const invite = await createInvite(admin, { kind: "workspace", role: "guest", roomIds: [guestRoom.id] });
    const guest = await signUp({ ...account("guest"), invite: invite.token });
    expect(guest.role).toBe("guest");
    expect(guest.roomIds).toEqual([guestRoom.id]);
    // An invite's rooms come first (that is where the new account lands), then the defaults.
    const memberInvite = await createInvite(admin, {
      kind: "workspace",
      role: "member",
      roomIds: [guestRoom.id],
    });
    const invited = await signUp({ ...account("inv"), invite: memberInvite.token });
    expect(invited.roomIds[0]).toBe(guestRoom.id);
    expect(invited.roomIds.sort()).toEqual([guestRoom.id, lobby.id, news.id].sort());
  });
});
