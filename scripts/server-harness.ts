// Runs Beacon's real server.ts as a child process and signs a user in over HTTP, for the lifecycle
// tests and the measurement script.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded";
import { ensureDatabase, migrate } from "@/lib/db/migrator";

export interface RunningServer {
  proc: ChildProcess;
  url: string;
  readyMs: number;
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; ms: number }>;
}

/** Start `server.ts` (production build) on a free port; resolves when it logs that it is ready. */
export async function startServer(
  env: Record<string, string>,
  { nodeArgs = [] as string[] } = {},
): Promise<RunningServer> {
  const started = Date.now();
  // node --import tsx, not the tsx CLI: signals must reach the server itself.
  const proc = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "server.ts"], {
    // LOG_LEVEL info: the "ready" line is how we know the port.
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      RATE_LIMIT_SCALE: "1000", // load generators; the rate-limit tests pass "1"
      ...env,
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const killOnExit = () => proc.kill("SIGTERM"); // never leave a server (and its PostgreSQL) behind
  process.once("exit", killOnExit);
  proc.once("exit", () => process.off("exit", killOnExit));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${logs.join("")}`)), 120_000);
    const onData = (d: Buffer) => {
      logs.push(String(d));
      const m = /Beacon ready on http:\/\/localhost:(\d+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    };
    proc.stdout?.on("data", onData);
    proc.stderr?.on("data", onData);
    proc.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${logs.join("")}`));
    });
  });
  return {
    proc,
    url,
    readyMs: Date.now() - started,
    logs,
    stop(signal: NodeJS.Signals = "SIGTERM") {
      const t = Date.now();
      return new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve({ code: proc.exitCode, ms: 0 });
        proc.once("exit", (code) => resolve({ code, ms: Date.now() - t }));
        proc.kill(signal);
      });
    },
  };
}

/**
 * `server.ts` on a PostgreSQL of its own (embedded, migrated, in a temp dir, default
 * max_connections), for measurements that must see the database's side too. `stopAll` ends both.
 */
export async function startServerWithOwnDatabase(
  env: Record<string, string> = {},
): Promise<{ server: RunningServer; databaseUrl: string; stopAll(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "beacon-own-db-"));
  const db = await startEmbeddedPostgres({ dataDir: dir, password: "harness" });
  const dropAll = async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ensureDatabase(db.url);
    await migrate(db.url);
    const server = await startServer({
      DATABASE_URL: db.url,
      NEXTAUTH_SECRET: "harness-secret-harness-secret",
      ...env,
    });
    return {
      server,
      databaseUrl: db.url,
      async stopAll() {
        try {
          await server.stop();
        } finally {
          await dropAll();
        }
      },
    };
  } catch (err) {
    await dropAll();
    throw err;
  }
}

/** Sign up (unless `existing`) and sign in through next-auth's credentials endpoint; returns the cookie. */
export async function signInCookie(
  base: string,
  username: string,
  password = "correct horse battery",
  { existing = false } = {},
): Promise<string> {
  if (!existing) {
    const res = await fetch(`${base}/api/users`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, displayName: username, password }),
    });
    if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  }
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const csrfCookie = csrfRes.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const login = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, username, password, json: "true" }),
  });
  const session = login.headers.getSetCookie().find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in failed: ${login.status}`);
  return session.split(";")[0] as string;
}
