// One-time password reset links (an admin hands them over; there is no email). Only the sha256 of
// the token is stored. A link works once, for an hour; using it sets a new password and ends every
// session of the account (sessionVersion).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit.service";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { hashPassword } from "@/lib/users/password";
import { passwordSchema } from "./users.schema";

export const RESET_LINK_TTL_MS = 60 * 60 * 1000;

const tokenSchema = z
  .string({ error: "This reset link is not valid" })
  .regex(/^[A-Za-z0-9_-]{43}$/, "This reset link is not valid");

export const resetPasswordSchema = z
  .strictObject({
    token: tokenSchema,
    password: passwordSchema,
    confirm: z.string({ error: "Confirm the new password" }),
  })
  .refine((b) => b.password === b.confirm, { error: "The two passwords do not match", path: ["confirm"] });

export const hashResetToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * A new link for `userId`, replacing any unused older one (inside the caller's transaction, which
 * also writes the audit row). Returns the token: shown once, never stored.
 */
export async function issueResetToken(
  tx: Prisma.TransactionClient,
  userId: string,
  createdById: string | null,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + RESET_LINK_TTL_MS);
  await tx.passwordReset.deleteMany({ where: { userId, usedAt: null } });
  await tx.passwordReset.create({
    data: { tokenHash: hashResetToken(token), userId, createdById, expiresAt },
  });
  return { token, expiresAt };
}

export type ResetLinkState = "valid" | "unknown" | "used" | "expired";

export const RESET_LINK_MESSAGES: Record<Exclude<ResetLinkState, "valid">, string> = {
  unknown:
    "This reset link is not valid. It may have been replaced by a newer one: ask an admin for a new link.",
  used: "This reset link was already used. Ask an admin for a new one if you need to reset your password again.",
  expired: "This reset link has expired (links are valid for 1 hour). Ask an admin for a new one.",
};

/** What a link is now, for the /reset page (it shows the form only for a valid one). */
export async function resetLinkState(token: unknown): Promise<{ state: ResetLinkState; username?: string }> {
  const parsed = tokenSchema.safeParse(token);
  if (!parsed.success) return { state: "unknown" };
  const row = await db().passwordReset.findUnique({
    where: { tokenHash: hashResetToken(parsed.data) },
    select: { usedAt: true, expiresAt: true, user: { select: { username: true } } },
  });
  if (!row) return { state: "unknown" };
  if (row.usedAt) return { state: "used" };
  if (row.expiresAt.getTime() <= Date.now()) return { state: "expired" };
  return { state: "valid", username: row.user.username };
}

/**
 * Use a link: set the new password and end every session. The link is spent by the same UPDATE that
 * checks it, so two uses at once change the password once.
 */
export async function resetPassword(input: unknown): Promise<{ userId: string; username: string }> {
  const data = parseOrThrow(resetPasswordSchema, input);
  const before = await resetLinkState(data.token);
  if (before.state !== "valid") throw new AppError("not_found", RESET_LINK_MESSAGES[before.state]);
  const passwordHash = await hashPassword(data.password);
  const tokenHash = hashResetToken(data.token);
  const done = await db().$transaction(async (tx) => {
    const [spent] = await tx.$queryRaw<{ userId: string }[]>`
      UPDATE "PasswordReset" SET "usedAt" = now()
      WHERE "tokenHash" = ${tokenHash} AND "usedAt" IS NULL AND "expiresAt" > now()
      RETURNING "userId"::text`;
    if (!spent) return null;
    const user = await tx.user.update({
      where: { id: spent.userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { id: true, username: true },
    });
    await recordAudit(
      {
        actor: user,
        action: "user.password_reset",
        targetType: "user",
        targetId: user.id,
        targetLabel: `@${user.username}`,
      },
      tx,
    );
    return { userId: user.id, username: user.username };
  });
  if (done) return done;
  const after = await resetLinkState(data.token);
  throw new AppError("not_found", RESET_LINK_MESSAGES[after.state === "valid" ? "used" : after.state]);
}
