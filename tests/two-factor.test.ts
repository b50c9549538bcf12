// Two-factor sign-in (issue 17, item 4): RFC 6238 test vectors, the ±1 step window, a code refused
// on reuse, recovery codes that work once, the password step that issues no session, the rate limit
// on wrong codes, and the admin policy that closes the app until set-up. Real PostgreSQL and
// next-auth's own handler with Beacon's options.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { open } from "@/lib/auth/secret-box";
import { apiUserFrom } from "@/lib/auth/session";
import { base32Encode, hotp, matchTotp, TOTP_STEP_S, timeStep, totpCode } from "@/lib/auth/totp";
import {
  confirmTwoFactorSetup,
  disableTwoFactor,
  readChallenge,
  startTwoFactorSetup,
  twoFactorStatus,
} from "@/lib/auth/two-factor.service";
import { db, disconnectDb } from "@/lib/db/client";
import { RateLimits, SLOWDOWNS, setLimits } from "@/lib/ratelimit/limits";
import { setTwoFactorPolicy } from "@/lib/workspace/settings.service";
import { makeUser } from "./helpers/fixtures";
import { secret as authSecret, SESSION, signInWith } from "./helpers/next-auth";

afterAll(() => disconnectDb());
beforeEach(() => setLimits(new RateLimits())); // fresh failure budgets per test

const password = "correct horse battery";

describe("TOTP (RFC 6238 appendix B, SHA-1)", () => {
  // The RFC's SHA-1 seed is the ASCII "12345678901234567890"; its 8-digit codes end in these 6.
  const secret = base32Encode(Buffer.from("12345678901234567890"));
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it.each(vectors)("at %i s the code is %s", (t, code) => {
    expect(hotp(Buffer.from("12345678901234567890"), Math.floor(t / 30), 8)).toBe(code);
    expect(totpCode(secret, t * 1000)).toBe(code.slice(2));
  });

  it("accepts the previous and next step, nothing further, and never a used step", () => {
    const now = 1_700_000_000_000;
    const at = (steps: number) => totpCode(secret, now + steps * TOTP_STEP_S * 1000);
    const step = timeStep(now);
    expect(matchTotp(secret, at(0), { nowMs: now })).toBe(step);
    expect(matchTotp(secret, at(-1), { nowMs: now })).toBe(step - 1);
    expect(matchTotp(secret, at(1), { nowMs: now })).toBe(step + 1);
    expect(matchTotp(secret, at(-2), { nowMs: now })).toBeNull();
    expect(matchTotp(secret, at(2), { nowMs: now })).toBeNull();
    expect(matchTotp(secret, at(0), { nowMs: now, lastStep: step })).toBeNull();
    expect(matchTotp(secret, at(1), { nowMs: now, lastStep: step })).toBe(step + 1);
    expect(matchTotp(secret, "12345", { nowMs: now })).toBeNull();
  });
});

/** Turns two-factor on for a new user; its secret and recovery codes. */
async function enrolled() {
  const user = await makeUser("tf");
  const setup = await startTwoFactorSetup(user);
  expect(setup.qr).toMatch(/^data:image\/svg\+xml;base64,/);
  expect(Buffer.from(setup.qr.split(",")[1] ?? "", "base64").toString()).toContain("<svg");
  expect(setup.uri).toContain(`secret=${setup.secret}`);
  // Stored encrypted, never as the secret itself.
  const row = await db().user.findUniqueOrThrow({ where: { id: user.id } });
  expect(row.totpPendingSecret).not.toContain(setup.secret);
  expect(open(row.totpPendingSecret ?? "", `totp:${user.id}`)).toBe(setup.secret);
  // The code of the previous step: the sign-in below can use the current one without a replay.
  const { recoveryCodes } = await confirmTwoFactorSetup(user, {
    code: totpCode(setup.secret, Date.now() - TOTP_STEP_S * 1000),
  });
  return { user, secret: setup.secret, recoveryCodes };
}

describe("two-factor set-up", () => {
  it("turns on with a right code and gives 10 one-time recovery codes, stored hashed", async () => {
    const { user, recoveryCodes } = await enrolled();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await db().recoveryCode.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(10);
    for (const r of stored) expect(recoveryCodes.map((c) => c.replace("-", ""))).not.toContain(r.codeHash);
    expect(await twoFactorStatus(user)).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });
  });

  it("refuses a wrong code with a field error and keeps it off", async () => {
    const user = await makeUser("tfw");
    await startTwoFactorSetup(user);
    await expect(confirmTwoFactorSetup(user, { code: "000000" })).rejects.toMatchObject({
      code: "validation",
      extra: { fields: { code: [expect.stringContaining("not right")] } },
    });
    await expect(confirmTwoFactorSetup(user, { code: "12ab" })).rejects.toMatchObject({ code: "validation" });
    expect((await twoFactorStatus(user)).enabled).toBe(false);
  });

  it("turns off only with a current code or a recovery code", async () => {
    const { user, secret } = await enrolled();
    await expect(disableTwoFactor(user, { code: "000000" })).rejects.toMatchObject({ code: "validation" });
    await disableTwoFactor(user, { code: totpCode(secret) });
    expect(await twoFactorStatus(user)).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await db().recoveryCode.count({ where: { userId: user.id } })).toBe(0);
  });
});

describe("two-factor sign-in", () => {
  it("the password step issues no session, only a challenge; the code step signs in; a replay is refused", async () => {
    const { user, secret } = await enrolled();
    const first = await signInWith({ username: user.username, password });
    expect(first.session).toBeUndefined();
    expect(first.error).toMatch(/^TwoFactorRequired:/);
    const challenge = (first.error ?? "").slice("TwoFactorRequired:".length);
    expect(readChallenge(challenge)).toMatchObject({ userId: user.id });

    const wrong = await signInWith({ challenge, code: "000000" });
    expect(wrong.session).toBeUndefined();
    expect(wrong.error).toMatch(/^TwoFactorFailed:That code is not right/);

    const code = totpCode(secret);
    const ok = await signInWith({ challenge, code });
    expect(ok.session).toBeTruthy();
    expect(await apiUserFrom({ cookies: { [SESSION]: ok.session ?? "" } }, authSecret())).toMatchObject({
      id: user.id,
    });

    // The same code again (another password step, same window): refused, readably.
    const again = await signInWith({ username: user.username, password });
    const replay = await signInWith({ challenge: (again.error ?? "").slice(18), code });
    expect(replay.session).toBeUndefined();
    expect(replay.error).toBe(
      "TwoFactorFailed:That code was already used. Wait for the next code in your authenticator app.",
    );
  });

  it("a forged or tampered challenge signs nobody in", async () => {
    const { user, secret } = await enrolled();
    const first = await signInWith({ username: user.username, password });
    const challenge = (first.error ?? "").slice("TwoFactorRequired:".length);
    const [payload] = challenge.split(".");
    const forged = `${payload}.${"A".repeat(43)}`;
    const res = await signInWith({ challenge: forged, code: totpCode(secret) });
    expect(res).toEqual({ session: undefined, error: "TwoFactorExpired" });
    // A wrong password never gets a challenge.
    expect((await signInWith({ username: user.username, password: "wrong password!" })).error).toBe(
      "CredentialsSignin",
    );
  });

  it("a recovery code works once", async () => {
    const { user, recoveryCodes } = await enrolled();
    const code = recoveryCodes[3] ?? "";
    const challenge = async () =>
      ((await signInWith({ username: user.username, password })).error ?? "").slice(18);
    const ok = await signInWith({ challenge: await challenge(), recoveryCode: code.toUpperCase() });
    expect(ok.session).toBeTruthy();
    const twice = await signInWith({ challenge: await challenge(), recoveryCode: code });
    expect(twice.session).toBeUndefined();
    expect(twice.error).toMatch(/recovery code is not right, or it was already used/);
    expect((await twoFactorStatus(user)).recoveryCodesLeft).toBe(9);
  });

  it("wrong codes are slowed down per account", async () => {
    const { user } = await enrolled();
    const challenge = ((await signInWith({ username: user.username, password })).error ?? "").slice(18);
    const errors: string[] = [];
    for (let i = 0; i <= SLOWDOWNS.twoFactor.free; i++)
      errors.push((await signInWith({ challenge, code: "000000" })).error ?? "");
    expect(errors.slice(0, SLOWDOWNS.twoFactor.free).every((e) => e.startsWith("TwoFactorFailed:"))).toBe(
      true,
    );
    expect(errors.at(-1)).toMatch(/^RateLimited:\d+$/);
  });
});

describe("two-factor policy", () => {
  it("for admins: an admin without two-factor may only set it up; members are untouched", async () => {
    const owner = await makeUser("own", "owner");
    const admin = await makeUser("adm", "admin");
    const member = await makeUser("mem");
    // Like every admin route, not there for a member.
    await expect(setTwoFactorPolicy(member, { policy: "everyone" })).rejects.toMatchObject({
      code: "not_found",
    });
    await expect(setTwoFactorPolicy(owner, { policy: "sometimes" })).rejects.toMatchObject({
      code: "validation",
    });
    await setTwoFactorPolicy(owner, { policy: "admins" });
    try {
      const cookieOf = async (u: { username: string }) =>
        (await signInWith({ username: u.username, password })).session ?? "";
      const src = (c: string) => ({ cookies: { [SESSION]: c } });
      const adminCookie = await cookieOf(admin);
      await expect(apiUserFrom(src(adminCookie), authSecret(), "GET /api/rooms")).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringContaining("requires two-factor"),
      });
      expect(await apiUserFrom(src(adminCookie), authSecret(), "POST /api/account/two-factor")).toMatchObject(
        {
          twoFactorSetupRequired: true,
        },
      );
      expect(await apiUserFrom(src(await cookieOf(member)), authSecret(), "GET /api/rooms")).toMatchObject({
        id: member.id,
      });
      expect(await twoFactorStatus(admin)).toMatchObject({ required: true, enabled: false });
      // Set up: the app opens; turning it off is refused while required.
      const setup = await startTwoFactorSetup(admin);
      await confirmTwoFactorSetup(admin, { code: totpCode(setup.secret) });
      expect(await apiUserFrom(src(adminCookie), authSecret(), "GET /api/rooms")).toMatchObject({
        id: admin.id,
      });
      await expect(disableTwoFactor(admin, { code: totpCode(setup.secret) })).rejects.toMatchObject({
        code: "forbidden",
      });
    } finally {
      await setTwoFactorPolicy(owner, { policy: "off" });
    }
  });
});
