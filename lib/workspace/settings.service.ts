// The workspace's settings (one row). Read on sign-up, invites and the shell; changed by admins.
import { recordAudit } from "@/lib/audit/audit.service";
import {
  TWO_FACTOR_POLICIES,
  type TwoFactorPolicy,
  twoFactorPolicySchema,
} from "@/lib/auth/two-factor.schema";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { AppError, parseOrThrow } from "@/lib/errors";
import { requireRole } from "./access";
import {
  REGISTRATION_POLICIES,
  type RegistrationPolicy,
  updateWorkspaceSchema,
  type WorkspaceSettings,
} from "./workspace.schema";

function toSettings(row: {
  name: string;
  logoText: string;
  registration: string;
  defaultRoomIds: string[];
  maxUploadMb: number | null;
  userQuotaMb: number | null;
  membersCreateBots: boolean;
}): WorkspaceSettings {
  const registration = (REGISTRATION_POLICIES as readonly string[]).includes(row.registration)
    ? (row.registration as RegistrationPolicy)
    : "closed";
  return {
    name: row.name,
    logoText: row.logoText,
    registration,
    defaultRoomIds: row.defaultRoomIds,
    maxUploadMb: row.maxUploadMb,
    userQuotaMb: row.userQuotaMb,
    membersCreateBots: row.membersCreateBots,
  };
}

const select = {
  name: true,
  logoText: true,
  registration: true,
  defaultRoomIds: true,
  maxUploadMb: true,
  userQuotaMb: true,
  membersCreateBots: true,
} as const;

export async function getWorkspaceSettings(): Promise<WorkspaceSettings> {
  // Read on every signed-in page: a plain read. The migration inserts the row; the upsert only keeps
  // a database whose row was removed by hand working.
  const row =
    (await db().workspace.findUnique({ where: { id: 1 }, select })) ??
    (await db().workspace.upsert({ where: { id: 1 }, create: { id: 1 }, update: {}, select }));
  return toSettings(row);
}

/** Admins only. Default rooms must be public channels (a default room cannot leak a private one). */
export async function updateWorkspaceSettings(
  actor: { id: string },
  input: unknown,
): Promise<WorkspaceSettings> {
  const admin = await requireRole(actor.id, "admin", {
    message: "Only admins can change workspace settings",
  });
  const data = parseOrThrow(updateWorkspaceSchema, input);
  const ceiling = env().MAX_UPLOAD_MB;
  if (data.maxUploadMb != null && data.maxUploadMb > ceiling) {
    // The proxy in front is sized for MAX_UPLOAD_MB (deploy/nginx.conf): a higher limit would only
    // turn into 413s from the proxy.
    const message = `The largest file can be at most ${ceiling} MB on this server (MAX_UPLOAD_MB)`;
    throw new AppError("validation", message, { fields: { maxUploadMb: [message] } });
  }
  if (data.defaultRoomIds) {
    const ids = [...new Set(data.defaultRoomIds.map((id) => id.toLowerCase()))];
    const ok = await db().room.count({
      where: { id: { in: ids }, kind: "channel", isPrivate: false, archivedAt: null },
    });
    if (ok !== ids.length) {
      const message = "Default rooms must be existing public rooms that are not archived";
      throw new AppError("validation", message, { fields: { defaultRoomIds: [message] } });
    }
    data.defaultRoomIds = ids;
  }
  const before = await getWorkspaceSettings();
  const row = await db().$transaction(async (tx) => {
    const updated = await tx.workspace.update({
      where: { id: 1 },
      data: { ...data, updatedAt: new Date() },
      select,
    });
    const changed = Object.fromEntries(
      Object.entries(data).filter(
        ([k, v]) => JSON.stringify(before[k as keyof WorkspaceSettings]) !== JSON.stringify(v),
      ),
    );
    if (Object.keys(changed).length > 0) {
      await recordAudit(
        {
          actor: admin,
          action: "workspace.update",
          targetType: "workspace",
          targetLabel: updated.name,
          detail: changed,
        },
        tx,
      );
    }
    return updated;
  });
  return toSettings(row);
}

/** Who must use two-factor sign-in (issue 17): read by the session check in SQL and by Settings. */
export async function getTwoFactorPolicy(): Promise<TwoFactorPolicy> {
  const row = await db().workspace.upsert({
    where: { id: 1 },
    create: { id: 1 },
    update: {},
    select: { twoFactorPolicy: true },
  });
  return (TWO_FACTOR_POLICIES as readonly string[]).includes(row.twoFactorPolicy)
    ? (row.twoFactorPolicy as TwoFactorPolicy)
    : "off";
}

/** Admins only: require two-factor for nobody, for admins, or for everyone (audited). */
export async function setTwoFactorPolicy(actor: { id: string }, input: unknown): Promise<TwoFactorPolicy> {
  // Like every /api/admin route: not there (404) for anyone below admin.
  const admin = await requireRole(actor.id, "admin", { hide: true });
  const { policy } = parseOrThrow(twoFactorPolicySchema, input);
  const before = await getTwoFactorPolicy();
  if (before === policy) return policy;
  await db().$transaction(async (tx) => {
    await tx.workspace.update({ where: { id: 1 }, data: { twoFactorPolicy: policy, updatedAt: new Date() } });
    await recordAudit(
      {
        actor: admin,
        action: "workspace.update",
        targetType: "workspace",
        targetLabel: "two-factor policy",
        detail: { twoFactorPolicy: policy },
      },
      tx,
    );
  });
  return policy;
}
