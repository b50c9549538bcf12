import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db/client";
import { sendMessage } from "@/lib/messages/messages.service";
import { LIMITS, limits, RateLimits, SLOWDOWNS, setLimits } from "@/lib/ratelimit/limits";
import { SlowDown, type SlowRule } from "@/lib/ratelimit/slowdown";
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

function scenario(
  name: string,
  make: () => Promise<RateLimits>,
  store: () => Promise<ConstructorParameters<typeof SlowDown>[2]>,
  skip = false,
) {
  describe.skipIf(skip)(name, () => {
    it("messages: a burst, then the steady rate, with retry-after", async () => {
      const l = await make();
      const key = randomUUID();
      const { ok, error } = await drain(l, "message", key, 100);
      expect(ok).toBe(LIMITS.message.steady.points + LIMITS.message.burst.points);
      expect(error).toMatchObject({ code: "rate_limited", extra: { retryAfterMs: expect.any(Number) } });
      expect((error as Error).message).toMatch(/^You're sending messages too fast — try again in \d+ s$/);
    });

    it("sign-in failures per (username, address) slow down after 5, never lock, and reset on success", async () => {
      const l = await make();
      const pair = JSON.stringify([`u${randomUUID()}`, "10.9.9.9"]);
      for (let i = 0; i < SLOWDOWNS.signinPair.free; i++) await l.consume("signinPair", pair);
      // The 5th failure armed a 1 s wait: the next attempt is refused for now, with the time to wait.
      const refused = await l.consume("signinPair", pair).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: "rate_limited", extra: { retryAfterMs: 1000 } });
      expect((refused as Error).message).toBe("Too many failed sign-ins — try again in 1 s");
      await l.reset("signinPair", pair);
      await expect(l.check("signinPair", pair)).resolves.toBeUndefined();
      await expect(l.consume("signinPair", pair)).resolves.toBeUndefined();
    });

    it("a refund below the free budget drops the wait it armed; an empty key stays empty", async () => {
      const l = await make();
      const key = `ip-${randomUUID()}`;
      await l.reward("signinPair", key); // nothing counted: no -1 stored
      for (let i = 0; i < SLOWDOWNS.signinPair.free; i++) await l.consume("signinPair", key);
      await expect(l.check("signinPair", key)).rejects.toMatchObject({ code: "rate_limited" });
      await l.reward("signinPair", key); // that 5th attempt compared nothing (an outage)
      await expect(l.check("signinPair", key)).resolves.toBeUndefined();
      await l.consume("signinPair", key);
      await expect(l.consume("signinPair", key)).rejects.toMatchObject({ code: "rate_limited" });
    });

    it("the wait doubles with each failure past the free budget, up to the cap, and then lets one through", async () => {
      const rule: SlowRule = { free: 2, windowMs: 60_000, baseDelayMs: 200, maxDelayMs: 800 };
      const slow = new SlowDown(`t${randomUUID()}`, rule, await store());
      const key = "k";
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      expect(await slow.begin(key)).toEqual({ ok: true, failures: 1 });
      expect(await slow.begin(key)).toEqual({ ok: true, failures: 2 });
      const waits: number[] = [];
      for (let failures = 3; failures <= 5; failures++) {
        const refused = await slow.begin(key);
        expect(refused.ok).toBe(false);
        const wait = (refused as { retryAfterMs: number }).retryAfterMs;
        waits.push(wait);
        await sleep(wait + 20);
        expect(await slow.begin(key)).toEqual({ ok: true, failures });
      }
      // Armed by failures 2, 3, 4: 200, 400, then 800 (the cap), each read right after it was armed.
      expect(waits[0]).toBeLessThanOrEqual(200);
      expect(waits[1]).toBeGreaterThan(200);
      expect(waits[1]).toBeLessThanOrEqual(400);
      expect(waits[2]).toBeGreaterThan(400);
      expect(waits[2]).toBeLessThanOrEqual(800);
      const capped = await slow.begin(key);
      expect(capped.ok).toBe(false);
      expect((capped as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(400);
      expect((capped as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(800);
    });

    it("sign-ups per IP and connections per user have budgets", async () => {
      const l = await make();
      expect((await drain(l, "signup", randomUUID(), 100)).ok).toBe(LIMITS.signup.points);
      expect((await drain(l, "connect", randomUUID(), 100)).ok).toBe(LIMITS.connect.points);
    });
  });
}

scenario(
  "in memory",
  async () => new RateLimits(),
  async () => ({}),
);
async function redisStore() {
  const state = await redisState(redisUrl as string, `beacon-rl-${randomUUID().slice(0, 8)}`);
  afterAll(() => state.close());
  return { redis: state.redis, prefix: `beacon-rl-${randomUUID().slice(0, 8)}` };
}
scenario(
  "in Redis (shared by every node)",
  async () => new RateLimits(await redisStore()),
  redisStore,
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

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<{ id: string } | null>;
/** The credentials provider's authorize, exactly as next-auth calls it (rate limits, argon2, database). */
function authorize(): Authorize {
  const p = authOptions().providers.find((x) => x.id === "credentials") as unknown as {
    options: { authorize: Authorize };
  };
  return p.options.authorize;
}
const from = (ip: string) => ({ headers: { "x-beacon-client-ip": ip } });
const randomIp = (prefix: string) => `${prefix}.${Math.floor(Math.random() * 250)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const right = "correct horse battery";

describe("changing a password", () => {
  it("wrong current passwords slow further tries down, without slowing signing in; the right one resets", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const wrong = { currentPassword: "not my password", newPassword: "a brand new password" };
    for (let i = 0; i < SLOWDOWNS.passwordChange.free; i++)
      await expect(changePassword(ana, wrong)).rejects.toMatchObject({ code: "validation" });
    // Refused for now, even with the right password: a stolen session cannot guess on without limit.
    const rightOne = { currentPassword: right, newPassword: "a brand new password" };
    await expect(changePassword(ana, rightOne)).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/^Too many wrong passwords — try again in \d+ s$/),
    });
    await expect(limits().check("passwordChange", ana.id)).rejects.toMatchObject({ code: "rate_limited" });
    // Guesses through a session are not sign-in failures: the owner still signs in at once.
    await expect(
      authorize()({ username: ana.username, password: right }, from(randomIp("10.2.0"))),
    ).resolves.toMatchObject({
      id: ana.id,
    });

    // Under the limit, the right password changes it and clears the failures.
    const bo = await makeUser("bo");
    await expect(changePassword(bo, wrong)).rejects.toMatchObject({ code: "validation" });
    await expect(changePassword(bo, rightOne)).resolves.toMatchObject({ sessionVersion: 1 });
    expect(await limits().check("passwordChange", bo.id)).toBeUndefined();
    await expect(
      verifyCredentials({ username: bo.username, password: "a brand new password" }),
    ).resolves.toMatchObject({ id: bo.id });
  });
});

describe("parallel guesses stay inside the budget", () => {
  it("changing a password: 20 at once get at most 5 checks, and a right guess among them is refused", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const attempts = Array.from({ length: 20 }, (_, i) => ({
      currentPassword: i === 19 ? right : `wrong guess ${i}`,
      newPassword: "taken over by a guesser",
    }));
    const results = await Promise.allSettled(attempts.map((a) => changePassword(ana, a)));
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "ok"));
    expect(codes.filter((c) => c === "validation")).toHaveLength(SLOWDOWNS.passwordChange.free);
    expect(codes.filter((c) => c === "rate_limited")).toHaveLength(20 - SLOWDOWNS.passwordChange.free);
    expect(codes).not.toContain("ok");
    // The password did not change.
    await expect(verifyCredentials({ username: ana.username, password: right })).resolves.toMatchObject({
      id: ana.id,
    });
  });

  it("signing in: 20 at once from one address get at most 5 checks, and a right guess among them is refused", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const signIn = authorize();
    const ip = randomIp("10.0.0");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        signIn({ username: ana.username, password: i === 19 ? right : `wrong guess ${i}` }, from(ip)),
      ),
    );
    const outcome = results.map((r) =>
      r.status === "fulfilled" ? (r.value ? "signed in" : "wrong") : String((r.reason as Error).message),
    );
    expect(outcome.filter((o) => o === "wrong")).toHaveLength(SLOWDOWNS.signinPair.free);
    expect(outcome.filter((o) => o.startsWith("RateLimited:"))).toHaveLength(20 - SLOWDOWNS.signinPair.free);
    expect(outcome).not.toContain("signed in");
  });

  it("signing in: only failed checks spend the network's budget", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const bo = await makeUser("bo");
    const signIn = authorize();
    const ip = randomIp("10.1.0");
    // Ana's pair gets slowed; refusals for it are not failures of the network.
    for (let i = 0; i < SLOWDOWNS.signinIp.free + 5; i++)
      await signIn({ username: ana.username, password: `wrong ${i}` }, from(ip)).catch(() => null);
    // Successful sign-ins give their point back.
    for (let i = 0; i < SLOWDOWNS.signinIp.free + 2; i++)
      await expect(signIn({ username: bo.username, password: right }, from(ip))).resolves.toMatchObject({
        id: bo.id,
      });
    // Failures do count: after its free budget of them, the network has to wait.
    for (let i = 0; i < SLOWDOWNS.signinIp.free - SLOWDOWNS.signinPair.free; i++)
      await expect(
        signIn({ username: unique("nobody"), password: "x".repeat(12) }, from(ip)),
      ).resolves.toBeNull();
    await expect(signIn({ username: bo.username, password: right }, from(ip))).rejects.toThrow(
      /^RateLimited:\d+$/,
    );
  });
});

describe("lockout as a weapon (OWASP: per username and address, slow down, never lock)", () => {
  it("an address failing 100 times against a username does not stop the owner signing in from another", async () => {
    setLimits(new RateLimits());
    const ana = await makeUser("ana");
    const signIn = authorize();
    const attacker = randomIp("203.0.113");
    const outcomes = new Set<string>();
    for (let i = 0; i < 100; i++)
      outcomes.add(
        await signIn({ username: ana.username, password: `guess ${i}` }, from(attacker))
          .then((u) => (u ? "signed in" : "wrong"))
          .catch((e: Error) => e.message.replace(/\d+$/, "N")),
      );
    expect([...outcomes].sort()).toEqual(["RateLimited:N", "wrong"]);
    // The owner, elsewhere: at once, with nothing to wait for.
    await expect(
      signIn({ username: ana.username, password: right }, from("198.51.100.7")),
    ).resolves.toMatchObject({ id: ana.id });
    // At the attacker's address (say the same office), only a bounded wait, never a lock.
    const wait = await signIn({ username: ana.username, password: right }, from(attacker)).then(
      () => 0,
      (e: Error) => Number(/^RateLimited:(\d+)$/.exec(e.message)?.[1]),
    );
    expect(wait).toBeLessThanOrEqual(SLOWDOWNS.signinPair.maxDelayMs / 1000);
  });

  it("one address trying many usernames is slowed, not locked, and other addresses are not touched", async () => {
    setLimits(new RateLimits());
    const bo = await makeUser("bo");
    const signIn = authorize();
    const stuffer = randomIp("203.0.114");
    const tryOne = (ip: string) =>
      signIn({ username: unique("victim"), password: "123456789" }, from(ip)).then(
        (u) => (u ? "signed in" : "wrong"),
        (e: Error) => e.message,
      );
    for (let i = 0; i < SLOWDOWNS.signinIp.free; i++) expect(await tryOne(stuffer)).toBe("wrong");
    // Its free budget spent, the address must wait before each further guess, on any username...
    expect(await tryOne(stuffer)).toBe("RateLimited:1");
    await expect(signIn({ username: bo.username, password: right }, from(stuffer))).rejects.toThrow(
      "RateLimited:1",
    );
    // ...while other addresses go on as before.
    expect(await tryOne(randomIp("198.51.101"))).toBe("wrong");
    await expect(
      signIn({ username: bo.username, password: right }, from(randomIp("198.51.102"))),
    ).resolves.toMatchObject({
      id: bo.id,
    });
    // Slowed, not locked: after the wait, the next guess is checked (and arms a longer wait).
    await sleep(1100);
    expect(await tryOne(stuffer)).toBe("wrong");
    expect(await tryOne(stuffer)).toBe("RateLimited:2");
  });
});
