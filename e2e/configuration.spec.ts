// Settings as deployments really write them: `NAME=` lines from .env and compose files must behave
// as unset (the server's own process and next-auth, which reads NEXTAUTH_URL from process.env), and
// the embedded mode says which PostgreSQL it runs and what to use in production.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { embeddedPostgresVersion } from "@/lib/db/embedded";
import { signInCookie, startServer } from "@/scripts/server-harness";

test("empty settings boot as unset: sign-in works with NEXTAUTH_URL=, and the boot log names the embedded PostgreSQL", async () => {
  test.setTimeout(120_000);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "beacon-settings-"));
  const server = await startServer({
    DATA_DIR: dataDir,
    DATABASE_URL: "", // embedded PostgreSQL
    NEXTAUTH_URL: "",
    NEXTAUTH_SECRET: "",
    SESSION_MAX_AGE: " ",
    DATABASE_POOL_SIZE: "",
    ALLOWED_ORIGINS: "",
    REDIS_URL: "",
    OIDC_NAME: "",
  });
  try {
    // next-auth's own endpoint: a 500 "Invalid URL" here when NEXTAUTH_URL stays "" in process.env.
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    expect(csrf.status).toBe(200);
    const username = `cfg${Date.now().toString(36)}`;
    const cookie = await signInCookie(server.url, username);
    const session = await fetch(`${server.url}/api/auth/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ user: { username } });
    // A signed-in API call and a same-origin write (the origin check reads NEXTAUTH_URL too).
    const room = await fetch(`${server.url}/api/rooms`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie, origin: server.url },
      body: JSON.stringify({ name: `cfg-${Date.now().toString(36)}` }),
    });
    expect(room.status).toBe(201);

    const version = await embeddedPostgresVersion();
    expect(version).toMatch(/^\d+\.\d+/);
    const bootLog = server.logs.join("");
    expect(bootLog).toContain(`embedded PostgreSQL ${version}`);
    const [major = 0, minor = 0] = version.split(".").map(Number);
    if (major < 18 || (major === 18 && minor < 7)) {
      const line = bootLog.split("\n").find((l) => l.includes(`embedded PostgreSQL ${version} lacks`));
      expect(line, bootLog).toBeTruthy();
      expect(line).toContain('"level":40'); // warn
      expect(line).toContain("external PostgreSQL 18.7 or later");
    }
  } finally {
    expect((await server.stop("SIGTERM")).code).toBe(0);
    await rm(dataDir, { recursive: true, force: true });
  }
});
