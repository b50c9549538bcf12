// The admin console's user actions (issue 15): role changes with the owner rules (incl. a race of two
// owners demoting each other), deactivation (sessions and sockets end, sign-in refused, hidden from
// search), reactivation, one-time reset links, and the append-only audit log. Real PostgreSQL and
// real Socket.IO clients. The last-owner rules count every owner in the database, so this file runs
// in a database of its own (other files in the run create owners of their own).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PATCH } from "@/app/api/admin/users/[id]/route";
import {
  COMMAND_LINE,
  changeRole,
  createResetLink,
  deactivateUser,
  LAST_OWNER_MESSAGE,
  reactivateUser,
} from "@/lib/admin/admin.service";
import { db, disconnectDb } from "@/lib/db/client";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { MemoryState } from "@/lib/state/shared-state";
import { hashResetToken, RESET_LINK_MESSAGES, resetPassword } from "@/lib/users/password-reset.service";
import type { SessionUser } from "@/lib/users/users.schema";
import { searchUsers, verifyCredentials } from "@/lib/users/users.service";
import { makeUser } from "./helpers/fixtures";
import {
  connectAs,
  connected,
  handshake,
  nextEvent,
  sessionCookie,
  startRealtime,
  type TestClient,
} from "./helpers/realtime";
import { errorOf, routeSession } from "./helpers/route-session";

vi.mock("@/lib/auth/session", () => import("./helpers/route-session").then((m) => m.sessionModule()));

beforeAll(async () => {
  const u = new URL(process.env.DATABASE_URL ?? "");
  u.pathname = `${u.pathname}_admin`;
  await ensureDatabase(u.toString());
  await migrate(u.toString());
  process.env.DATABASE_URL = u.toString();
});

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  // Each test starts with no owners at all (the file's own database).
  await db().user.updateMany({ where: { role: "owner" }, data: { role: "member" } });
});
afterAll(async () => {
  await disconnectDb();
});

const patch = (id: string, body: unknown) =>
  PATCH(
    new Request(`http://beacon.test/api/admin/users/${id}`, { method: "PATCH", body: JSON.stringify(body) }),
    { params: Promise.resolve({ id }) },
  );

async function roleOf(u: SessionUser): Promise<string> {
  return (await db().user.findUniqueOrThrow({ where: { id: u.id }, select: { role: true } })).role;
}

async function auditFor(targetId: string) {
  return db().auditLog.findMany({ where: { targetId }, orderBy: { id: "asc" } });
}

describe("role changes", () => {
  it("an admin promotes a member to moderator; the change is audited with who/what/target", async () => {
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    routeSession.user = admin;
    const res = await patch(m.id, { role: "moderator" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe("moderator");
    expect(await roleOf(m)).toBe("moderator");
    const [row] = await auditFor(m.id);
    expect(row).toMatchObject({
      actorId: admin.id,
      actorName: `@${admin.username}`,
      action: "user.role",
      targetType: "user",
      targetLabel: `@${m.username}`,
      detail: { from: "member", to: "moderator" },
    });
  });

  it("an admin cannot demote an owner or make an owner, and nothing changes", async () => {
    const owner = await makeUser("own", "owner");
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    routeSession.user = admin;
    const a = await errorOf(await patch(owner.id, { role: "member" }));
    expect(a).toMatchObject({ status: 403, code: "forbidden" });
    expect(a.message).toMatch(/Only an owner/);
    expect(await errorOf(await patch(m.id, { role: "owner" }))).toMatchObject({ status: 403 });
    expect(await roleOf(owner)).toBe("owner");
    expect(await roleOf(m)).toBe("member");
    expect(await auditFor(owner.id)).toHaveLength(0);
  });

  it("the last owner cannot be demoted, not even by themselves; with two owners one may go", async () => {
    const owner = await makeUser("own", "owner");
    routeSession.user = owner;
    const e = await errorOf(await patch(owner.id, { role: "admin" }));
    expect(e).toEqual({ status: 409, code: "conflict", message: LAST_OWNER_MESSAGE });
    expect(await roleOf(owner)).toBe("owner");
    await expect(changeRole(COMMAND_LINE, owner.id, "member")).rejects.toThrow(LAST_OWNER_MESSAGE);
    const second = await makeUser("own2");
    expect((await patch(second.id, { role: "owner" })).status).toBe(200);
    expect((await patch(owner.id, { role: "admin" })).status).toBe(200);
    expect(await roleOf(owner)).toBe("admin");
    expect(await roleOf(second)).toBe("owner");
  });

  it("two owners demoting each other at the same moment leave exactly one owner (20 rounds)", async () => {
    for (let i = 0; i < 20; i++) {
      const a = await makeUser("ra", "owner");
      const b = await makeUser("rb", "owner");
      const results = await Promise.allSettled([
        changeRole(a, b.id, "member"),
        changeRole(b, a.id, "member"),
      ]);
      const owners = await db().user.count({ where: { role: "owner", deactivatedAt: null } });
      expect(owners).toBe(1);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      await db().user.updateMany({ where: { role: "owner" }, data: { role: "member" } });
    }
  });

  it("a moderator, member or guest gets a 404, and bad bodies get clear errors", async () => {
    const m = await makeUser("mem");
    for (const role of ["moderator", "member", "guest"] as const) {
      routeSession.user = await makeUser(role, role);
      expect(await errorOf(await patch(m.id, { role: "admin" }))).toMatchObject({
        status: 404,
        code: "not_found",
      });
    }
    routeSession.user = await makeUser("adm", "admin");
    const bad = await errorOf(await patch(m.id, { role: "king" }));
    expect(bad).toMatchObject({ status: 400, code: "validation" });
    expect(bad.message).toMatch(/Role must be/);
    expect((await errorOf(await patch(m.id, { role: "member", deactivated: true }))).status).toBe(400);
    expect((await errorOf(await patch("not-a-uuid", { role: "member" }))).status).toBe(400);
    expect(
      (await errorOf(await patch("00000000-0000-4000-8000-000000000000", { role: "member" }))).status,
    ).toBe(404);
    expect(await roleOf(m)).toBe("member");
  });

  it("a role change tells the user's open sockets (account:updated)", async () => {
    const node = await startRealtime(new MemoryState());
    cleanup.push(() => node.close());
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    const s = await connectAs(node.url, m);
    cleanup.push(async () => void s.close());
    await connected(s);
    routeSession.user = admin;
    const updated = nextEvent<{ role: string }>(s, "account:updated");
    await patch(m.id, { role: "moderator" });
    expect(await updated).toEqual({ role: "moderator" });
  });
});

function closing(s: TestClient): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("not closed")), 5000);
    let reason = "(none)";
    s.once("socket:closing", (c) => {
      reason = `${c.reason}: ${c.message}`;
    });
    s.once("disconnect", (why) => {
      clearTimeout(timer);
      resolve(`${reason} / ${why}`);
    });
  });
}

describe("deactivation", () => {
  it("ends sessions and sockets at once, refuses sign-in, hides from search; reactivation restores sign-in only", async () => {
    const node = await startRealtime(new MemoryState());
    cleanup.push(() => node.close());
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("deact");
    const cookie = await sessionCookie(m);
    const s = await connectAs(node.url, null, cookie);
    cleanup.push(async () => void s.close());
    await connected(s);
    const closed = closing(s);
    routeSession.user = admin;
    const res = await patch(m.id, { deactivated: true });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { deactivated: boolean } }).user.deactivated).toBe(true);
    expect(await closed).toBe(
      "deactivated: Your account was deactivated by an admin. / io server disconnect",
    );
    expect(await handshake(node.url, cookie)).toBe("unauthorized");
    // The password is right, and sign-in says why it is refused (lib/auth/options.ts).
    expect(
      (await verifyCredentials({ username: m.username, password: "correct horse battery" }))?.deactivated,
    ).toBe(true);
    expect((await searchUsers(admin, m.username)).map((u) => u.id)).not.toContain(m.id);
    expect((await auditFor(m.id)).map((r) => r.action)).toEqual(["user.deactivate"]);

    expect((await patch(m.id, { deactivated: false })).status).toBe(200);
    expect(
      (await verifyCredentials({ username: m.username, password: "correct horse battery" }))?.deactivated,
    ).toBe(false);
    // The old session stays ended (its session version was bumped).
    expect(await handshake(node.url, cookie)).toBe("unauthorized");
    expect(await handshake(node.url, await sessionCookie(m, 1))).toBe("connected");
    expect((await auditFor(m.id)).map((r) => r.action)).toEqual(["user.deactivate", "user.reactivate"]);
  });

  it("admins cannot deactivate owners, admins or themselves; owners can deactivate admins; the last owner stays", async () => {
    const owner = await makeUser("own", "owner");
    const admin = await makeUser("adm", "admin");
    const admin2 = await makeUser("adm2", "admin");
    routeSession.user = admin;
    for (const target of [owner, admin2, admin]) {
      const e = await errorOf(await patch(target.id, { deactivated: true }));
      expect(e.status).toBe(403);
    }
    expect((await errorOf(await patch(admin.id, { deactivated: true }))).message).toMatch(/your own account/);
    routeSession.user = owner;
    expect((await patch(admin2.id, { deactivated: true })).status).toBe(200);
    await expect(deactivateUser(COMMAND_LINE, owner.id)).rejects.toThrow(LAST_OWNER_MESSAGE);
    expect(
      await db().user.count({ where: { deactivatedAt: { not: null }, id: { in: [owner.id, admin.id] } } }),
    ).toBe(0);
    // The command line is audited as such.
    await reactivateUser(COMMAND_LINE, admin2.id);
    const rows = await auditFor(admin2.id);
    expect(rows.at(-1)).toMatchObject({
      actorId: null,
      actorName: "command line",
      action: "user.reactivate",
    });
  });
});

describe("audit log", () => {
  it("rows cannot be updated or deleted (a database trigger)", async () => {
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    await changeRole(admin, m.id, "guest");
    const [row] = await auditFor(m.id);
    if (!row) throw new Error("no audit row");
    await expect(db().auditLog.update({ where: { id: row.id }, data: { action: "x" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(db().auditLog.delete({ where: { id: row.id } })).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AuditLog"`).rejects.toThrow(/append-only/);
    expect(await auditFor(m.id)).toHaveLength(1);
  });
});

describe("reset links", () => {
  const pw = "a brand new password";
  it("work once, end every session, are audited; a newer link replaces an older one; admins cannot reset owners", async () => {
    const owner = await makeUser("own", "owner");
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    await expect(createResetLink(admin, owner.id)).rejects.toThrow(/Only an owner/);
    const first = await createResetLink(admin, m.id);
    const second = await createResetLink(admin, m.id);
    expect(await db().passwordReset.count({ where: { userId: m.id } })).toBe(1);
    const stored = await db().passwordReset.findFirstOrThrow({ where: { userId: m.id } });
    expect(stored.tokenHash).toBe(hashResetToken(second.token));
    expect(stored.tokenHash).not.toContain(second.token);
    await expect(resetPassword({ token: first.token, password: pw, confirm: pw })).rejects.toThrow(
      RESET_LINK_MESSAGES.unknown,
    );
    await expect(resetPassword({ token: second.token, password: pw, confirm: "other" })).rejects.toThrow(
      /do not match/,
    );
    // Two uses at once: one wins.
    const both = await Promise.allSettled([
      resetPassword({ token: second.token, password: pw, confirm: pw }),
      resetPassword({ token: second.token, password: pw, confirm: pw }),
    ]);
    expect(both.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    await expect(resetPassword({ token: second.token, password: pw, confirm: pw })).rejects.toThrow(
      RESET_LINK_MESSAGES.used,
    );
    const user = await db().user.findUniqueOrThrow({ where: { id: m.id }, select: { sessionVersion: true } });
    expect(user.sessionVersion).toBe(1);
    expect(await verifyCredentials({ username: m.username, password: pw })).not.toBeNull();
    expect((await auditFor(m.id)).map((r) => r.action)).toEqual([
      "user.reset_link",
      "user.reset_link",
      "user.password_reset",
    ]);
  });

  it("expire after an hour", async () => {
    const admin = await makeUser("adm", "admin");
    const m = await makeUser("mem");
    const { token } = await createResetLink(admin, m.id);
    await db().passwordReset.updateMany({
      where: { userId: m.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await expect(resetPassword({ token, password: pw, confirm: pw })).rejects.toThrow(
      RESET_LINK_MESSAGES.expired,
    );
    expect(await verifyCredentials({ username: m.username, password: pw })).toBeNull();
  });
});

describe("npm run admin (the command line, against the test database)", () => {
  const exec = promisify(execFile);
  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const r = await exec("npx", ["tsx", "scripts/admin.ts", ...args], {
        env: { ...process.env, NEXTAUTH_URL: "https://chat.example.test" },
        timeout: 60_000,
      });
      return { code: 0, stdout: r.stdout, stderr: r.stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("lists, promotes, makes reset links, deactivates and reactivates; audited as the command line", async () => {
    const m = await makeUser("clim");
    const list = await cli("users:list");
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${m.username}\\s+.*member\\s+active`));

    const promote = await cli("users:promote", m.username, "--role", "owner");
    expect(promote).toMatchObject({ code: 0 });
    expect(promote.stdout).toContain(`@${m.username} is now owner`);
    expect(await roleOf(m)).toBe("owner");

    const link = await cli("users:reset-link", m.username);
    expect(link.code).toBe(0);
    const url = /https:\/\/chat\.example\.test\/reset\/([A-Za-z0-9_-]{43})/.exec(link.stdout);
    expect(url).not.toBeNull();
    // The last owner cannot be deactivated, not even from the command line.
    const refused = await cli("users:deactivate", m.username);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(LAST_OWNER_MESSAGE);
    await cli("users:promote", (await makeUser("cliown")).username, "--role", "owner");
    expect((await cli("users:deactivate", m.username)).code).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: m.id } })).deactivatedAt).not.toBeNull();
    expect((await cli("users:reactivate", m.username)).code).toBe(0);
    const rows = await auditFor(m.id);
    expect(rows.map((r) => r.action)).toEqual([
      "user.role",
      "user.reset_link",
      "user.deactivate",
      "user.reactivate",
    ]);
    expect(rows.every((r) => r.actorId === null && r.actorName === "command line")).toBe(true);
  }, 120_000);

  it("says clearly what is wrong, with a non-zero exit code", async () => {
    const unknownUser = await cli("users:deactivate", "no-such-user");
    expect(unknownUser.code).toBe(2);
    expect(unknownUser.stderr).toContain('No user named "no-such-user"');
    const unknownCommand = await cli("users:explode");
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain('Unknown command "users:explode"');
    const badRole = await cli("users:promote", (await makeUser("clib")).username, "--role", "king");
    expect(badRole.code).toBe(1);
    expect(badRole.stderr).toMatch(/Role must be/);
    const help = await cli("help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("users:reset-link <username>");
  }, 120_000);
});
