import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db/client";
import { sendMessage } from "@/lib/messages/messages.service";
import { LIMITS, limits, RateLimits, setLimits } from "@/lib/ratelimit/limits";
import { changePassword, verifyCredentials } from "@/lib/users/users.service";
import { makeRoom, makeUser, unique } from "./helpers/fixtures";
import { externalRedisUrl, redisState } from "./helpers/services";

const redisUrl = externalRedisUrl();
const previous = limits();
afterAll(() => setLimits(previous));

async function drain(l: RateLimits, kind: Parameters<RateLimits["consume"]>[0], key: string, n: number) {
  let ok = 0;
  let error: unknown;
  for (let i = 0; i < n; i++) {
    try {
      await l.consume(kind, key);
      ok++;
    } catch (err) {
      error = err;
      break;
    }
  }
  return { ok, error };
}

function scenario(name: string, make: () => Promise<RateLimits>, skip = false) {
  describe.skipIf(skip)(name, () => {
    it("messages: a burst, then the steady rate, with retry-after", async () => {
      const l = await make();
      const key = randomUUID();
      const { ok, error } = await drain(l, "message", key, 100);
      expect(ok).toBe(LIMITS.message.steady.points + LIMITS.message.burst.points);
      expect(error).toMatchObject({ code: "rate_limited", extra: { retryAfterMs: expect.any(Number) } });
      expect((error as Error).message).toMatch(/^You're sending messages too fast — try again in \d+ s$/);
    });

    it("sign-ins per username are blocked after 5 failures and reset on success", async () => {
      const l = await make();
      const user = `u${randomUUID()}`;
      for (let i = 0; i < LIMITS.signinUser.points; i++) await l.consume("signinUser", user).catch(() => {});
      await expect(l.check("signinUser", user)).rejects.toMatchObject({ code: "rate_limited" });
      await l.reset("signinUser", user);
      await expect(l.check("signinUser", user)).resolves.toBeUndefined();
    });

    it("a rewarded point can be spent again; a blocked key stays blocked", async () => {
      const l = await make();
      const user = `u${randomUUID()}`;
      for (let i = 0; i < LIMITS.signinUser.points; i++) await l.consume("signinUser", user);
      await l.reward("signinUser", user);
      await l.consume("signinUser", user);
      await expect(l.consume("signinUser", user)).rejects.toMatchObject({ code: "rate_limited" });
      // Refunds from requests still in flight do not shorten the block.
      await l.reward("signinUser", user);
      await l.reward("signinUser", user);
      await expect(l.consume("signinUser", user)).rejects.toMatchObject({ code: "rate_limited" });
    });

    it("a refund on a key with nothing counted (expired, reset) stores nothing", async () => {
      const l = await make();
      const user = `u${randomUUID()}`;
      await l.reward("signinUser", user);
      await l.consume("signinUser", user);
      await l.reset("signinUser", user);
      await l.reward("signinUser", user);
      expect((await drain(l, "signinUser", user, 100)).ok).toBe(LIMITS.signinUser.points);
    });

    it("sign-ups per IP and connections per user have budgets", async () => {
      const l = await make();
      expect((await drain(l, "signup", randomUUID(), 100)).ok).toBe(LIMITS.signup.points);
      expect((await drain(l, "connect", randomUUID(), 100)).ok).toBe(LIMITS.connect.points);
    });
  });
}

scenario("in memory", async () => new RateLimits());
scenario(
  "in Redis (shared by every node)",
  async () => {
    const state = await redisState(redisUrl as string, `beacon-rl-${randomUUID().slice(0, 8)}`);
    afterAll(() => state.close());
    return new RateLimits({ redis: state.redis, prefix: `beacon-rl-${randomUUID().slice(0, 8)}` });
  },
  !redisUrl,
);

describe("a limited send stores nothing", () => {
  it("rejects the message over the budget and keeps the room's seq gap-free", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const room = await makeRoom(ana);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        sendMessage(ana, { roomId: room.id, clientId: randomUUID(), body: `m${i}` }),
      ),
    );
    const stored = results.filter((r) => r.status === "fulfilled").length;
    expect(stored).toBe(LIMITS.message.steady.points + LIMITS.message.burst.points);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "rate_limited" } });
    const rows = await db().message.findMany({
      where: { roomId: room.id },
      select: { seq: true },
      orderBy: { seq: "asc" },
    });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: stored }, (_, i) => i + 1));
  });
});

describe("changing a password", () => {
  it("wrong current passwords count against the account's sign-in limit; the right one resets it", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const wrong = { currentPassword: "not my password", newPassword: "a brand new password" };
    for (let i = 0; i < LIMITS.signinUser.points; i++)
      await expect(changePassword(ana, wrong)).rejects.toMatchObject({ code: "validation" });
    // Blocked now, even with the right password: a stolen session cannot guess on without limit.
    const right = { currentPassword: "correct horse battery", newPassword: "a brand new password" };
    await expect(changePassword(ana, right)).rejects.toMatchObject({ code: "rate_limited" });
    await expect(limits().check("signinUser", ana.username)).rejects.toMatchObject({ code: "rate_limited" });

    // Under the limit, the right password changes it and clears the failures.
    const bo = await makeUser("bo");
    await expect(changePassword(bo, wrong)).rejects.toMatchObject({ code: "validation" });
    await expect(changePassword(bo, right)).resolves.toMatchObject({ sessionVersion: 1 });
    expect(await limits().check("signinUser", bo.username)).toBeUndefined();
    await expect(
      verifyCredentials({ username: bo.username, password: "a brand new password" }),
    ).resolves.toMatchObject({ id: bo.id });
  });
});

describe("parallel guesses stay inside the budget", () => {
  const right = "correct horse battery";

  it("changing a password: 20 at once get at most 5 checks, and a right guess among them is refused", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const attempts = Array.from({ length: 20 }, (_, i) => ({
      currentPassword: i === 19 ? right : `wrong guess ${i}`,
      newPassword: "taken over by a guesser",
    }));
    const results = await Promise.allSettled(attempts.map((a) => changePassword(ana, a)));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "ok"));
    expect(codes.filter((c) => c === "validation")).toHaveLength(LIMITS.signinUser.points);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(20 - LIMITS.signinUser.points);
    expect(codes).not.toContain("ok");
    // The password did not change, and the account is still blocked for the right one.
    await expect(verifyCredentials({ username: ana.username, password: right })).resolves.toMatchObject({
      id: ana.id,
    });
    await expect(
      changePassword(ana, { currentPassword: right, newPassword: "taken over by a guesser" }),
    ).rejects.toMatchObject({ code: "rate_limited" });
  });

  type Authorize = (
    credentials: Record<string, string>,
    req: { headers: Record<string, string> },
  ) => Promise<{ id: string } | null>;
  function authorize(): Authorize {
    const p = authOptions().providers.find((x) => x.id === "credentials") as unknown as {
      options: { authorize: Authorize };
    };
    return p.options.authorize;
  }
  const from = (ip: string) => ({ headers: { "x-beacon-client-ip": ip } });

  it("signing in: 20 at once get at most 5 checks, and a right guess among them is refused", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const signIn = authorize();
    const ip = `10.0.0.${Math.floor(Math.random() * 250)}`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        signIn({ username: ana.username, password: i === 19 ? right : `wrong guess ${i}` }, from(ip)),
      ),
    );
    const outcome = results.map((r) =>
      r.status === "fulfilled" ? (r.value ? "signed in" : "wrong") : String((r.reason as Error).message),
    );
    expect(outcome.filter((o) => o === "wrong")).toHaveLength(LIMITS.signinUser.points);
    expect(outcome.filter((o) => o.startsWith("RateLimited:"))).toHaveLength(20 - LIMITS.signinUser.points);
    expect(outcome).not.toContain("signed in");
    await expect(signIn({ username: ana.username, password: right }, from(ip))).rejects.toThrow(
      /^RateLimited:/,
    );
  });

  it("signing in: only failed checks spend the network's budget", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const signIn = authorize();
    const ip = `10.1.0.${Math.floor(Math.random() * 250)}`;
    // Ana's account gets blocked; refusals for a blocked account are not failures of the network.
    for (let i = 0; i < LIMITS.signinIp.points + 5; i++)
      await signIn({ username: ana.username, password: `wrong ${i}` }, from(ip)).catch(() => null);
    // Successful sign-ins give their point back.
    for (let i = 0; i < LIMITS.signinIp.points + 2; i++)
      await expect(signIn({ username: bo.username, password: right }, from(ip))).resolves.toMatchObject({
        id: bo.id,
      });
    // Failures do count: the network is blocked after its budget of them.
    for (let i = 0; i < LIMITS.signinIp.points - LIMITS.signinUser.points; i++)
      await expect(
        signIn({ username: unique("nobody"), password: "x".repeat(12) }, from(ip)),
      ).resolves.toBeNull();
    await expect(signIn({ username: bo.username, password: right }, from(ip))).rejects.toThrow(
      /^RateLimited:/,
    );
  });
});
