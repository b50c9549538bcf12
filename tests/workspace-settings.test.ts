// Workspace settings through the service the admin console uses: admins only, validated (the file
// limit cannot go past MAX_UPLOAD_MB, the proxy's size), every change audited with what changed.
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getWorkspaceSettings, updateWorkspaceSettings } from "@/lib/workspace/settings.service";
import { makeUser } from "./helpers/fixtures";

afterAll(async () => {
  await db().workspace.update({ where: { id: 1 }, data: { maxUploadMb: null, userQuotaMb: null } });
});

describe("workspace settings", () => {
  it("lets an admin lower the file limit and set a quota, audited; refuses a limit above MAX_UPLOAD_MB", async () => {
    const admin = await makeUser("wsadm", "admin");
    const ceiling = env().MAX_UPLOAD_MB;
    await expect(updateWorkspaceSettings(admin, { maxUploadMb: ceiling + 1 })).rejects.toMatchObject({
      code: "validation",
      extra: { fields: { maxUploadMb: [expect.stringContaining(`at most ${ceiling} MB`)] } },
    });
    await expect(updateWorkspaceSettings(admin, { userQuotaMb: 0 })).rejects.toMatchObject({
      code: "validation",
    });
    const saved = await updateWorkspaceSettings(admin, { maxUploadMb: 5, userQuotaMb: 100 });
    expect(saved).toMatchObject({ maxUploadMb: 5, userQuotaMb: 100 });
    expect(await getWorkspaceSettings()).toMatchObject({ maxUploadMb: 5, userQuotaMb: 100 });
    const entry = await db().auditLog.findFirst({
      where: { actorId: admin.id, action: "workspace.update" },
      orderBy: { id: "desc" },
    });
    expect(entry?.detail).toMatchObject({ maxUploadMb: 5, userQuotaMb: 100 });
    // Back to the defaults (null: the server's limit, unlimited).
    expect(await updateWorkspaceSettings(admin, { maxUploadMb: null, userQuotaMb: null })).toMatchObject({
      maxUploadMb: null,
      userQuotaMb: null,
    });
  });

  it("refuses everyone below admin, and changes nothing", async () => {
    for (const role of ["moderator", "member", "guest"] as const) {
      const u = await makeUser(`ws${role.slice(0, 3)}`, role);
      await expect(updateWorkspaceSettings(u, { name: "Hijacked" })).rejects.toMatchObject({
        code: "forbidden",
      });
    }
    expect((await getWorkspaceSettings()).name).not.toBe("Hijacked");
  });
});
