// One request must not take Beacon down: a flood of unauthenticated /api/ready calls against the real
// server (production build) while a signed-in user keeps working.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrator";
import { readyFlood } from "@/scripts/ready-flood";
import { signInCookie, startServer } from "@/scripts/server-harness";

test("1,000 concurrent /api/ready: every signed-in request succeeds, ready keeps answering 200, the database sees only the pool", async () => {
  test.setTimeout(180_000);
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-ready-flood-"));
  // Its own embedded PostgreSQL (max_connections 100, as shipped): the sampler needs its address.
  const db = await startEmbeddedPostgres({ dataDir: dir, password: "flood" });
  try {
    await ensureDatabase(db.url);
    await migrate(db.url);
    const server = await startServer({
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: "10",
      NEXTAUTH_SECRET: "flood-secret-flood-secret",
    });
    try {
      const cookie = await signInCookie(server.url, `flood${Date.now().toString(36)}`);
      const r = await readyFlood(server.url, cookie, db.url, {
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
      await server.stop();
    }
  } finally {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
