// One request must not take Beacon down: a flood of unauthenticated /api/ready calls against the real
// server (production build) while a signed-in user keeps working.
import { expect, test } from "@playwright/test";
import { readyFlood } from "@/scripts/ready-flood";
import { signInCookie, startServerWithOwnDatabase } from "@/scripts/server-harness";

test("1,000 concurrent /api/ready: every signed-in request succeeds, ready keeps answering 200, the database sees only the pool", async () => {
  test.setTimeout(180_000);
  // Its own embedded PostgreSQL (max_connections 100, as shipped): the sampler needs its address.
  const { server, databaseUrl, stopAll } = await startServerWithOwnDatabase({ DATABASE_POOL_SIZE: "10" });
  try {
    const cookie = await signInCookie(server.url, `flood${Date.now().toString(36)}`);
    const r = await readyFlood(server.url, cookie, databaseUrl, {
      concurrency: 1000,
      rounds: 3,
      signedInWorkers: 10,
    });
    expect(r.signedIn.failures).toEqual([]);
    expect(r.signedIn.ok).toBeGreaterThan(0);
    expect(r.readyErrors).toEqual([]);
    expect(r.ready).toEqual({ ok: 3000, unavailable: 0, failed: 0 });
    // The app's pool (10) and the sampler; fresh connections per probe reached max_connections.
    expect(r.peakConnections).toBeLessThanOrEqual(11);
  } finally {
    await stopAll();
  }
});
