// Profiles (issue 17, item 6): username changes with the sign-up rules and uniqueness; the old
// handle stays its owner's (mentions written before and after still resolve to them, lookups find
// them, nobody else can take it); time zone and status are validated.
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db/client";
import { renderMarkdown } from "@/lib/messages/markdown";
import { sendMessage } from "@/lib/messages/messages.service";
import { joinRoom } from "@/lib/rooms/rooms.service";
import { formerUsernames, getUserCard, updateProfile } from "@/lib/users/profile.service";
import { getUserByUsername, signUp } from "@/lib/users/users.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";

afterAll(() => disconnectDb());

describe("profile", () => {
  it("changes the username; @old mentions keep resolving to the same person", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const room = await makeRoom(bo);
    await joinRoom(ana, room.id);
    const old = ana.username;
    const before = await sendMessage(bo, { roomId: room.id, clientId: randomUUID(), body: `hi @${old}` });
    expect(before.message.mentions).toEqual([ana.id]);

    const fresh = unique("anna");
    const updated = await updateProfile(ana, { username: fresh.toUpperCase(), displayName: "Anna K" });
    expect(updated).toMatchObject({ username: fresh, displayName: "Anna K" });
    expect(await formerUsernames(ana.id)).toEqual([old]);

    // Written after the change, with the old handle: still a mention of Ana.
    const after = await sendMessage(bo, { roomId: room.id, clientId: randomUUID(), body: `ping @${old}` });
    expect(after.message.mentions).toEqual([ana.id]);
    expect(after.message.author.displayName).not.toBe("Anna K");
    // Lookups by either handle find her; her card says who she is now.
    expect((await getUserByUsername(old))?.id).toBe(ana.id);
    expect(await getUserCard(bo, old)).toMatchObject({ id: ana.id, username: fresh, displayName: "Anna K" });
    // Her old mentions are highlighted as hers.
    expect(renderMarkdown(`hi @${old}`, [fresh, old])).toContain('class="mention mention-me"');
    expect(renderMarkdown(`hi @${old}`, fresh)).not.toContain("mention-me");
  });

  it("refuses a taken username, someone's former username, and names that break the sign-up rules", async () => {
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    await expect(updateProfile(bo, { username: ana.username })).rejects.toMatchObject({
      code: "conflict",
      extra: { fields: { username: ["That username is taken"] } },
    });
    const oldAna = ana.username;
    await updateProfile(ana, { username: unique("ana") });
    await expect(updateProfile(bo, { username: oldAna })).rejects.toMatchObject({ code: "conflict" });
    await expect(
      signUp({ username: oldAna, displayName: "X", password: "correct horse battery" }),
    ).rejects.toMatchObject({
      code: "conflict",
    });
    // Ana may take her old name back: it is hers again, not an alias.
    const second = (await db().user.findUniqueOrThrow({ where: { id: ana.id } })).username;
    await updateProfile(ana, { username: oldAna });
    expect((await formerUsernames(ana.id)).sort()).toEqual([second]);
    for (const username of ["ab", "has space", "x".repeat(33), "ümlaut"])
      await expect(updateProfile(bo, { username })).rejects.toMatchObject({
        code: "validation",
        extra: { fields: { username: [expect.any(String)] } },
      });
    await expect(updateProfile(bo, { displayName: "" })).rejects.toMatchObject({ code: "validation" });
  });

  it("keeps a time zone and a status with one emoji; refuses anything else", async () => {
    const cy = await makeUser("cy");
    const p = await updateProfile(cy, {
      timeZone: "Europe/Berlin",
      statusText: "  On holiday ",
      statusEmoji: "🌴",
    });
    expect(p).toMatchObject({ timeZone: "Europe/Berlin", statusText: "On holiday", statusEmoji: "🌴" });
    expect(await getUserCard(cy, cy.username)).toMatchObject({ statusText: "On holiday", statusEmoji: "🌴" });
    const bad: Record<string, unknown>[] = [
      { timeZone: "Mars/Olympus" },
      { statusText: "x".repeat(101) },
      { statusText: "bell\u0007" },
      { statusEmoji: "🌴🌴" },
      { statusEmoji: "a" },
      { role: "owner" },
    ];
    for (const input of bad)
      await expect(updateProfile(cy, input)).rejects.toMatchObject({ code: "validation" });
    await expect(getUserCard(cy, "nobody-here-at-all")).rejects.toMatchObject({ code: "not_found" });
  });
});
