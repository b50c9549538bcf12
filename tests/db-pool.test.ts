// The app's pool keeps the connections it opened through a quiet spell. pg closes idle ones after
// 10 s by default, and the next burst then waited for new ones (TCP, SCRAM, a new backend, every
// prepared statement planned again): docs/performance.md, "Stalls".
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { dbPool, disconnectDb } from "@/lib/db/client";

afterEach(() => {
  vi.useRealTimers();
});
afterAll(() => disconnectDb());

/** Backend pids of `n` queries that run at the same time (each needs a connection of its own). */
async function concurrentPids(n: number): Promise<Set<number>> {
  const rows = await Promise.all(
    Array.from({ length: n }, () =>
      dbPool().query<{ pid: number }>("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)"),
    ),
  );
  return new Set(rows.map((r) => r.rows[0]?.pid as number));
}

describe("database pool", () => {
  it("keeps idle connections open through a quiet spell, and the next burst reuses them", async () => {
    // Fake timers before the connections exist: an idle timeout would be set with them.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const first = await concurrentPids(3);
    expect(first.size).toBe(3);
    expect(dbPool().totalCount).toBe(3);
    vi.advanceTimersByTime(30 * 60_000); // half an hour without a query
    expect(dbPool().totalCount).toBe(3);
    expect(dbPool().idleCount).toBe(3);
    vi.useRealTimers();
    expect(await concurrentPids(3)).toEqual(first);
  });
});
