// The parts of a sign-in that issue 17 adds to next-auth's options (lib/auth/options.ts), kept here
// so the options stay small: the two-factor step of a password sign-in, and recording the new
// session for "Your devices".
//
// Two-factor with next-auth's Credentials provider: a right password for an account with two-factor
// issues no session. `authorize` throws `TwoFactorRequired:<challenge>` instead (next-auth hands the
// message to the form as its `error`); the challenge is a short-lived token signed with a key derived
// from NEXTAUTH_SECRET (two-factor.service.ts). The form then posts the challenge with the code, and
// only that second call returns a user, which is when next-auth issues the session cookie.
import type { JWT } from "next-auth/jwt";
import { toAppError } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { recordSession } from "@/lib/sessions/devices.service";
import { authRequestInfo } from "./request-context";
import { completeSignIn, hasTwoFactor, issueChallenge } from "./two-factor.service";

const log = logger.child({ module: "sign-in" });

/** The messages the sign-in form reads (app/(auth)/signin/sign-in-form.tsx). */
export const TWO_FACTOR_REQUIRED = "TwoFactorRequired:";
export const TWO_FACTOR_FAILED = "TwoFactorFailed:";
export const TWO_FACTOR_EXPIRED = "TwoFactorExpired";

/** After a right password: throws the challenge when the account has two-factor on. */
export async function afterPassword(user: { id: string; sessionVersion: number }): Promise<void> {
  if (await hasTwoFactor(user.id)) throw new Error(`${TWO_FACTOR_REQUIRED}${issueChallenge(user)}`);
}

/** The second step: a challenge and a code (or recovery code); the user, or an Error for the form. */
export async function secondStep(credentials: Record<string, string | undefined>) {
  const input =
    credentials.recoveryCode !== undefined && credentials.recoveryCode !== ""
      ? { recoveryCode: credentials.recoveryCode }
      : { code: credentials.code ?? "" };
  try {
    const user = await completeSignIn(credentials.challenge, input);
    return {
      id: user.id,
      name: user.displayName,
      username: user.username,
      sessionVersion: user.sessionVersion,
    };
  } catch (err) {
    const e = toAppError(err);
    if (e.code === "rate_limited")
      throw new Error(`RateLimited:${Math.ceil((e.extra.retryAfterMs ?? 60_000) / 1000)}`);
    if (e.code === "unauthorized") throw new Error(TWO_FACTOR_EXPIRED);
    if (e.code === "validation" || e.code === "bad_request")
      throw new Error(`${TWO_FACTOR_FAILED}${e.message}`);
    log.error({ err }, "two-factor sign-in failed");
    throw new Error("Unavailable");
  }
}

/** In the jwt callback when a session is issued: record it for "Your devices" (never fails sign-in). */
export async function noteSignIn(token: JWT): Promise<void> {
  if (typeof token.uid !== "string" || typeof token.sid !== "string") return;
  const { userAgent, ip } = authRequestInfo();
  await recordSession({
    sid: token.sid,
    userId: token.uid,
    sessionVersion: typeof token.sv === "number" ? token.sv : 0,
    userAgent,
    ip,
  }).catch((err: unknown) => log.warn({ err }, "could not record the new session"));
}
