// The audit log: every admin and moderator action (who, what, target, when). Append-only: this
// module only inserts, and a database trigger refuses UPDATE and DELETE on the table.
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";

export type AuditTargetType = "user" | "room" | "message" | "invite" | "workspace" | "webhook" | "command";

export interface AuditEntry {
  /** null: the operator at the command line (npm run admin) */
  actor: { id: string; username: string } | null;
  /** Dotted verb, e.g. "user.deactivate", "room.ban", "invite.create" */
  action: string;
  targetType: AuditTargetType;
  targetId?: string | null;
  /** Human-readable name of the target as it was at the time (a username, a room name) */
  targetLabel?: string;
  detail?: Prisma.InputJsonObject;
}

type Writer = Pick<Prisma.TransactionClient, "auditLog">;

/** Record one action; pass the transaction that makes the change so both commit together. */
export async function recordAudit(entry: AuditEntry, client: Writer = db()): Promise<void> {
  await client.auditLog.create({
    data: {
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor ? `@${entry.actor.username}` : "command line",
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      targetLabel: entry.targetLabel ?? "",
      detail: entry.detail ?? {},
    },
  });
}
