// The readiness check behind /api/ready and /api/health: a flood of callers shares one check a second,
// made on the app's pool against the real database.
import { afterEach, describe, expect, it, vi } from "vitest";
import { dbPool } from "@/lib/db/client";
import { cachedCheck, databaseStatus } from "@/lib/ops/readiness";

afterEach(() => {
  vi.useRealTimers();
});

describe("cachedCheck", () => {
  it("starts at most one check a second, never two at once; callers get the last answer meanwhile", async () => {
    vi.useFakeTimers();
    let calls = 0;
    const resolvers: ((v: number) => void)[] = [];
    const check = cachedCheck(() => {
      calls++;
      return new Promise<number>((r) => resolvers.push(r));
    });
    const first = Array.from({ length: 1000 }, () => check());
    expect(calls).toBe(1);
    resolvers[0]?.(1);
    expect(await Promise.all(first)).toEqual(Array(1000).fill(1));

    vi.advanceTimersByTime(999);
    await check();
    expect(calls).toBe(1);
    vi.advanceTimersByTime(1);
    // A new check starts, but nobody waits for it: the flood gets the last answer at once.
    expect(await Promise.all(Array.from({ length: 1000 }, () => check()))).toEqual(Array(1000).fill(1));
    expect(calls).toBe(2);
    vi.advanceTimersByTime(5000); // still running after 5 s: no second one beside it
    await check();
    expect(calls).toBe(2);
    resolvers[1]?.(2);
    await Promise.resolve();
    expect(await check()).toBe(2);
  });
});

describe("databaseStatus", () => {
  it("answers from the app's pool: 1,000 concurrent callers use at most one connection", async () => {
    const answers = await Promise.all(Array.from({ length: 1000 }, () => databaseStatus()));
    for (const a of answers) expect(a).toEqual({ db: "ok", migrations: "ok" });
    expect(dbPool().totalCount).toBeLessThanOrEqual(1);
  });
});
