// The admin console's user actions (issue 15): role changes with the owner rules (incl. a race of two
// owners demoting each other), deactivation (sessions and sockets end, sign-in refused, hidden from
// search), reactivation, one-time reset links, and the append-only audit log. Real PostgreSQL and
// real Socket.IO clients. The last-owner rules count every owner in the database, so this file runs
// in a database of its own (other files in the run create owners of their own).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { PATCH } from "@/app/api/admin/users/[id]/route";
import {
  COMMAND_LINE,
  changeRole,
  deactivateUser,
  LAST_OWNER_MESSAGE,
  reactivateUser,
} from "@/lib/admin/admin.service";
import { db, disconnectDb } from "@/lib/db/client";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { MemoryState } from "@/lib/state/shared-state";
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
