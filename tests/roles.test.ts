// The pure role rules the services and the console share (lib/workspace/roles.ts, lib/admin/rules.ts).
import { describe, expect, it } from "vitest";
import { resetRefusal } from "@/lib/admin/rules";
import { canChangeRole, canModerateRoom } from "@/lib/workspace/roles";

const owner = { id: "o", role: "owner" as const };
const admin = { id: "a", role: "admin" as const };
const admin2 = { id: "a2", role: "admin" as const };
const member = { id: "m", role: "member" as const };

describe("role rules", () => {
  it("only owners make owners or change an owner's or another admin's role", () => {
    expect(canChangeRole(admin, member, "moderator")).toBeNull();
    expect(canChangeRole(admin, member, "admin")).toBeNull();
    expect(canChangeRole(admin, owner, "member")).toMatch(/Only an owner/);
    expect(canChangeRole(admin, member, "owner")).toMatch(/Only an owner/);
    // An admin demoting a fellow admin could then reset their password and take the account.
    expect(canChangeRole(admin, admin2, "member")).toMatch(/Only an owner can change another admin's role/);
    expect(canChangeRole(owner, admin2, "member")).toBeNull();
    expect(canChangeRole(admin, admin, "member")).toBeNull(); // stepping down oneself
    expect(canChangeRole(member, member, "admin")).toMatch(/Only admins/);
  });

  it("reset links: admins for members and below, owners for admins, nobody for themselves", () => {
    expect(resetRefusal(admin, member)).toBeNull();
    expect(resetRefusal(admin, admin2)).toMatch(/Only an owner/);
    expect(resetRefusal(owner, admin2)).toBeNull();
    expect(resetRefusal(admin, admin)).toMatch(/Settings/);
    expect(resetRefusal(owner, owner)).toMatch(/Settings/);
    expect(resetRefusal(member, member)).toMatch(/Only admins/);
  });

  it("room moderation: room owner and moderators, workspace moderators and above", () => {
    expect(canModerateRoom("member", "owner")).toBe(true);
    expect(canModerateRoom("member", "moderator")).toBe(true);
    expect(canModerateRoom("member", "member")).toBe(false);
    expect(canModerateRoom("guest", null)).toBe(false);
    expect(canModerateRoom("moderator", null)).toBe(true);
  });
});
