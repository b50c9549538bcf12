import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { sendMessage } from "@/lib/messages/messages.service";
import { LIMITS, limits, RateLimits, setLimits } from "@/lib/ratelimit/limits";
import { changePassword, verifyCredentials } from "@/lib/users/users.service";
import { makeRoom, makeUser } from "./helpers/fixtures";
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
