// Two-factor sign-in with TOTP (issue 17, item 4): set-up with a QR code and a code check, ten
// one-time recovery codes, removal with a current code, and the second step of a password sign-in.
// Wrong codes spend the account's `twoFactor` failure budget (a doubling wait, lib/ratelimit), and
// an accepted code's time step is stored: that code, and any older one, is refused afterwards.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import QRCode from "qrcode";
import { db } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { limits } from "@/lib/ratelimit/limits";
import { asRole, atLeast } from "@/lib/workspace/roles";
import { getTwoFactorPolicy, getWorkspaceSettings } from "@/lib/workspace/settings.service";
import { open, pepperedHash, seal, signingKey } from "./secret-box";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp";
import {
  confirmTwoFactorSchema,
  type SecondFactorInput,
  secondFactorSchema,
  type TwoFactorPolicy,
  type TwoFactorSetup,
  type TwoFactorStatus,
} from "./two-factor.schema";

export const RECOVERY_CODE_COUNT = 10;
/** How long the password step's challenge lasts before the password must be entered again. */
export const CHALLENGE_TTL_MS = 5 * 60_000;

const context = (userId: string) => `totp:${userId}`;
const hashRecovery = (code: string) => pepperedHash(code, "recovery codes");

/** Does the policy require two-factor of this role? (Password accounts only: see the session check.) */
export function policyRequires(policy: TwoFactorPolicy, role: string): boolean {
  return policy === "everyone" || (policy === "admins" && atLeast(asRole(role), "admin"));
}

export async function twoFactorStatus(actor: { id: string }): Promise<TwoFactorStatus> {
  const [user, policy, left] = await Promise.all([
    db().user.findUniqueOrThrow({
      where: { id: actor.id },
      select: { passwordHash: true, totpEnabledAt: true, role: true },
    }),
    getTwoFactorPolicy(),
    db().recoveryCode.count({ where: { userId: actor.id, usedAt: null } }),
  ]);
  const available = user.passwordHash !== null;
  return {
    available,
    enabled: user.totpEnabledAt !== null,
    required: available && policyRequires(policy, user.role),
    recoveryCodesLeft: user.totpEnabledAt ? left : 0,
  };
}

/** Start (or restart) setting up: a new secret waits, encrypted, until a code confirms it. */
export async function startTwoFactorSetup(actor: { id: string; username: string }): Promise<TwoFactorSetup> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { passwordHash: true, totpEnabledAt: true },
  });
  if (!user.passwordHash)
    throw new AppError(
      "bad_request",
      "Two-factor applies to password sign-in; your identity provider handles it for your account",
    );
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on");
  const secret = newTotpSecret();
  await db().user.update({
    where: { id: actor.id },
    data: { totpPendingSecret: seal(secret, context(actor.id)) },
  });
  const issuer = (await getWorkspaceSettings()).name || "Beacon";
  const uri = otpauthUri(secret, actor.username, issuer);
  const svg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}` };
}

/** Spends one failure of the account's budget around `check`; a success clears the failures. */
async function guarded<T>(userId: string, check: () => Promise<T | null>, wrong: () => AppError): Promise<T> {
  await limits().consume("twoFactor", userId);
  let result: T | null;
  try {
    result = await check();
  } catch (err) {
    // Compared nothing (an outage, a replay): not a guess.
    await limits()
      .reward("twoFactor", userId)
      .catch(() => {});
    throw err;
  }
  if (result === null) throw wrong();
  await limits().reset("twoFactor", userId);
  return result;
}

const wrongCode = () => {
  const message = "That code is not right. Check your authenticator app and try again.";
  return new AppError("validation", message, { fields: { code: [message] } });
};
const wrongRecovery = () => {
  const message = "That recovery code is not right, or it was already used";
  return new AppError("validation", message, { fields: { recoveryCode: [message] } });
};
const replayed = () => {
  const message = "That code was already used. Wait for the next code in your authenticator app.";
  return new AppError("validation", message, { fields: { code: [message] } });
};

/**
 * Accept a TOTP code once: the step it matches must be newer than the last accepted one, and
 * storing it is a compare-and-set, so two requests with one code cannot both pass.
 */
async function acceptTotp(
  userId: string,
  sealed: string,
  lastStep: number | null,
  code: string,
): Promise<boolean> {
  const secret = open(sealed, context(userId));
  const step = matchTotp(secret, code, { lastStep });
  if (step === null) {
    if (lastStep !== null && matchTotp(secret, code) !== null) throw replayed();
    return false;
  }
  const n = await db().$executeRaw`UPDATE "User" SET "totpLastStep" = ${step}
    WHERE id = ${userId}::uuid AND ("totpLastStep" IS NULL OR "totpLastStep" < ${step})`;
  if (n !== 1) throw replayed();
  return true;
}

async function acceptRecoveryCode(userId: string, code: string): Promise<boolean> {
  const used = await db().recoveryCode.updateMany({
    where: { userId, codeHash: hashRecovery(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return used.count === 1;
}

/** New recovery codes (the old ones stop working): "abcde-fghij", 50 random bits each. */
async function newRecoveryCodes(userId: string): Promise<string[]> {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  await db().$transaction([
    db().recoveryCode.deleteMany({ where: { userId } }),
    db().recoveryCode.createMany({
      data: codes.map((c) => ({ userId, codeHash: hashRecovery(c.replace("-", "")) })),
    }),
  ]);
  return codes;
}

/** Confirm set-up with a code from the app: two-factor is on; the recovery codes are returned once. */
export async function confirmTwoFactorSetup(
  actor: { id: string },
  input: unknown,
): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseOrThrow(confirmTwoFactorSchema, input);
  const user = await db().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: { totpPendingSecret: true, totpEnabledAt: true },
  });
  if (user.totpEnabledAt) throw new AppError("conflict", "Two-factor authentication is already on");
  const pending = user.totpPendingSecret;
  if (!pending) throw new AppError("bad_request", "Start setting up two-factor authentication first");
  await guarded(
    actor.id,
    async () => {
      const step = matchTotp(open(pending, context(actor.id)), code);
      if (step === null) return null;
      // Only if the same pending secret is still the one waiting (a second set-up tab replaced it).
      const done = await db().user.updateMany({
        where: { id: actor.id, totpPendingSecret: pending, totpEnabledAt: null },
        data: { totpSecret: pending, totpPendingSecret: null, totpEnabledAt: new Date(), totpLastStep: step },
      });
      if (done.count !== 1)
        throw new AppError("conflict", "Set-up was restarted elsewhere: scan the new code");
      return step;
    },
    wrongCode,
  );
  return { recoveryCodes: await newRecoveryCodes(actor.id) };
}

/** Check a current code or a recovery code of an account that has two-factor on (spends budget). */
async function checkSecondFactor(userId: string, input: unknown): Promise<"code" | "recovery"> {
  const data = parseOrThrow(secondFactorSchema, input);
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecret: true, totpLastStep: true },
  });
  if (!user.totpSecret) throw new AppError("bad_request", "Two-factor authentication is off");
  const sealed = user.totpSecret;
  if ("code" in data)
    return guarded(
      userId,
      async () => ((await acceptTotp(userId, sealed, user.totpLastStep, data.code)) ? "code" : null),
      wrongCode,
    );
  return guarded(
    userId,
    async () => ((await acceptRecoveryCode(userId, data.recoveryCode)) ? "recovery" : null),
    wrongRecovery,
  );
}

/** Turn two-factor off with a current code or a recovery code; not while the workspace requires it. */
export async function disableTwoFactor(
  actor: { id: string },
  input: SecondFactorInput | unknown,
): Promise<void> {
  const status = await twoFactorStatus(actor);
  if (!status.enabled) throw new AppError("bad_request", "Two-factor authentication is already off");
  if (status.required)
    throw new AppError(
      "forbidden",
      "Your workspace requires two-factor authentication: it cannot be turned off",
    );
  await checkSecondFactor(actor.id, input);
  await db().$transaction([
    db().user.update({
      where: { id: actor.id },
      data: { totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null },
    }),
    db().recoveryCode.deleteMany({ where: { userId: actor.id } }),
  ]);
}

/** New recovery codes for a current code (the old ones stop working). */
export async function regenerateRecoveryCodes(
  actor: { id: string },
  input: unknown,
): Promise<{ recoveryCodes: string[] }> {
  await checkSecondFactor(actor.id, parseOrThrow(confirmTwoFactorSchema, input));
  return { recoveryCodes: await newRecoveryCodes(actor.id) };
}

// ---- Sign-in ----------------------------------------------------------------------------------

/** Does this account need a second step after its password? */
export async function hasTwoFactor(userId: string): Promise<boolean> {
  const row = await db().user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  return !!row?.totpEnabledAt;
}

function mac(payload: string): Buffer {
  return createHmac("sha256", signingKey("two-factor challenge")).update(payload).digest();
}

/**
 * The password step's proof: a short-lived token signed with a key derived from NEXTAUTH_SECRET,
 * naming the user and their session version (a password change in between voids it). It issues no
 * session: only the second step, with a right code, does.
 */
export function issueChallenge(user: { id: string; sessionVersion: number }, nowMs = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ u: user.id, v: user.sessionVersion, e: nowMs + CHALLENGE_TTL_MS }),
  ).toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

/** The user a challenge was issued for, or null when it is forged or expired. */
export function readChallenge(
  token: unknown,
  nowMs = Date.now(),
): { userId: string; sessionVersion: number } | null {
  if (typeof token !== "string" || token.length > 512) return null;
  const [payload, sig] = token.split(".");
  if (!payload || !sig) return null;
  const given = Buffer.from(sig, "base64url");
  const want = mac(payload);
  if (given.length !== want.length || !timingSafeEqual(given, want)) return null;
  try {
    const p = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
      u: unknown;
      v: unknown;
      e: unknown;
    };
    if (typeof p.u !== "string" || typeof p.v !== "number" || typeof p.e !== "number" || p.e < nowMs)
      return null;
    return { userId: p.u, sessionVersion: p.v };
  } catch {
    return null;
  }
}

/**
 * The second step of a password sign-in: a valid challenge plus a current code (or a recovery
 * code). Returns the user to sign in; throws AppError (validation, rate_limited) otherwise, and
 * `unauthorized` when the challenge is no longer good (sign in with the password again).
 */
export async function completeSignIn(
  challenge: unknown,
  input: unknown,
): Promise<{ id: string; username: string; displayName: string; sessionVersion: number }> {
  const ch = readChallenge(challenge);
  const expired = () => new AppError("unauthorized", "Your sign-in expired. Enter your password again.");
  if (!ch) throw expired();
  const user = await db().user.findUnique({
    where: { id: ch.userId },
    select: {
      id: true,
      username: true,
      displayName: true,
      sessionVersion: true,
      deactivatedAt: true,
      totpEnabledAt: true,
    },
  });
  if (!user || user.deactivatedAt || user.sessionVersion !== ch.sessionVersion || !user.totpEnabledAt)
    throw expired();
  await checkSecondFactor(user.id, input);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    sessionVersion: user.sessionVersion,
  };
}
