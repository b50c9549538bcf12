// Linked identities against the real database: first and second sign-in, the username collision
// (never an implicit link), linking from Settings, never unlinking the last way in, group roles.
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import {
  applyGroupRole,
  createUserForIdentity,
  findLinkedUser,
  linkIdentity,
  listSignInMethods,
  signInWithIdentity,
  unlinkIdentity,
} from "@/lib/users/identities.service";
import { makeUser, unique } from "./helpers/fixtures";

const rules = { passwordSignIn: true, configuredProviders: ["oidc", "github"], providerName: "SSO" };

describe("OAuth/OIDC identities", () => {
  it("creates the user on the first sign-in and finds the same user through the subject after", async () => {
    const identity = { provider: "oidc", providerAccountId: unique("sub") };
    const name = unique("kim");
    const first = await signInWithIdentity(identity, { username: name, name: "Kim" });
    expect(first).toMatchObject({
      kind: "user",
      created: true,
      user: { username: name, displayName: "Kim" },
    });
    // The profile changed at the provider: the subject, not the name, decides who this is.
    const again = await signInWithIdentity(identity, { username: unique("other"), email: "x@y.z" });
    expect(again).toMatchObject({ kind: "user", created: false });
    if (first.kind === "user" && again.kind === "user") expect(again.user.id).toBe(first.user.id);
  });

  it("never links by username: a taken one asks for a choice, with a free suggestion", async () => {
    const owner = await makeUser("lee");
    const identity = { provider: "oidc", providerAccountId: unique("sub") };
    const result = await signInWithIdentity(identity, { username: owner.username, email: "lee@example.com" });
    expect(result).toEqual({ kind: "taken", wanted: owner.username, suggestion: `${owner.username}2` });
    expect(await findLinkedUser(identity)).toBeNull();
    await expect(
      createUserForIdentity(identity, { username: owner.username, displayName: "Lee" }),
    ).rejects.toMatchObject({
      code: "conflict",
      extra: { fields: { username: ["That username is taken"] } },
    });
    await expect(
      createUserForIdentity(identity, { username: "x", displayName: "Lee" }),
    ).rejects.toMatchObject({
      code: "validation",
    });
    // The choice screen passes its whole pending sign-in (the identity and what the provider said).
    const pending = {
      ...identity,
      wanted: owner.username,
      name: "Lee",
      email: "lee@example.com",
      admin: false,
    };
    const created = await createUserForIdentity(pending, {
      username: `${owner.username}2`,
      displayName: "Lee",
    });
    expect((await findLinkedUser(identity))?.id).toBe(created.id);
    expect(created.id).not.toBe(owner.id);
  });

  it("gives concurrent first sign-ins of one identity one user", async () => {
    const identity = { provider: "oidc", providerAccountId: unique("sub") };
    const username = unique("max");
    const results = await Promise.all(
      Array.from({ length: 5 }, () => signInWithIdentity(identity, { username })),
    );
    const ids = new Set(results.map((r) => (r.kind === "user" ? r.user.id : "taken")));
    expect(ids.size).toBe(1);
    expect(ids.has("taken")).toBe(false);
    expect(await db().account.count({ where: { providerAccountId: identity.providerAccountId } })).toBe(1);
  });

  it("links an identity to the signed-in user only, refuses one linked elsewhere, and audits it", async () => {
    const me = await makeUser("linker");
    const other = await makeUser("other");
    const mine = { provider: "oidc", providerAccountId: unique("sub") };
    const theirs = { provider: "github", providerAccountId: unique("gh") };
    await linkIdentity(other, theirs, "GitHub");
    await expect(linkIdentity(me, theirs, "GitHub")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("already linked to another Beacon account"),
    });
    await linkIdentity(me, mine, "SSO");
    await linkIdentity(me, mine, "SSO"); // again: nothing changes
    await expect(
      linkIdentity(me, { provider: "oidc", providerAccountId: unique("sub") }, "SSO"),
    ).rejects.toMatchObject({
      code: "conflict",
      message: "You already have a SSO account linked. Unlink it first.",
    });
    expect((await findLinkedUser(mine))?.id).toBe(me.id);
    expect((await listSignInMethods(me.id)).linked.map((l) => l.provider)).toEqual(["oidc"]);
    const audit = await db().auditLog.findMany({ where: { targetId: me.id, action: "user.link" } });
    expect(audit).toHaveLength(1);
  });

  it("never unlinks the last way to sign in", async () => {
    const identity = { provider: "oidc", providerAccountId: unique("sub") };
    const r = await signInWithIdentity(identity, { username: unique("sso") });
    if (r.kind !== "user") throw new Error("expected a user");
    const ssoOnly = r.user;
    await expect(unlinkIdentity(ssoOnly, { provider: "oidc" }, rules)).rejects.toMatchObject({
      code: "conflict",
      message: "SSO is your only way to sign in: link another provider before unlinking it.",
    });
    await expect(unlinkIdentity(ssoOnly, { provider: "github" }, rules)).rejects.toMatchObject({
      code: "not_found",
    });
    // A second provider makes the first one removable.
    await linkIdentity(ssoOnly, { provider: "github", providerAccountId: unique("gh") }, "GitHub");
    await unlinkIdentity(ssoOnly, { provider: "oidc" }, rules);
    expect(await findLinkedUser(identity)).toBeNull();
    // A password counts, but not in SSO-only mode.
    const withPassword = await makeUser("pw");
    await linkIdentity(withPassword, { provider: "oidc", providerAccountId: unique("sub") }, "SSO");
    await expect(
      unlinkIdentity(withPassword, { provider: "oidc" }, { ...rules, passwordSignIn: false }),
    ).rejects.toMatchObject({ code: "conflict" });
    await unlinkIdentity(withPassword, { provider: "oidc" }, rules);
    expect(await db().auditLog.count({ where: { targetId: withPassword.id, action: "user.unlink" } })).toBe(
      1,
    );
  });

  it("applies group roles: promote, demote an admin who left, never an owner", async () => {
    const u = await makeUser("grp");
    const linked = { ...u, deactivated: false };
    expect(await applyGroupRole(linked, { allowed: true, admin: true })).toBe("admin");
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("admin");
    expect(await applyGroupRole({ ...linked, role: "admin" }, { allowed: true, admin: false })).toBe(
      "member",
    );
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("member");
    const owner = await makeUser("own", "owner");
    expect(await applyGroupRole({ ...owner, deactivated: false }, { allowed: true, admin: false })).toBe(
      "owner",
    );
    expect(await db().auditLog.count({ where: { targetId: u.id, action: "user.role" } })).toBe(2);
  });
});
