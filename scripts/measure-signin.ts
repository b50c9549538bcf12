// Measures account lockout as a weapon (issue 13, item 2): an attacker's address fails N sign-ins
// against one username, then the account's owner signs in with the right password from another
// address and from the attacker's; then one address tries one password on many usernames (credential
// stuffing). Runs the real credentials provider (rate limits, argon2) against
// a fresh database on MEASURE_DATABASE_URL's server (default: the local PostgreSQL).
//   npx tsx scripts/measure-signin.ts [--failures=100]
import { randomUUID } from "node:crypto";
import pg from "pg";

const server = process.env.MEASURE_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/postgres";
const failures = Number(/--failures=(\d+)/.exec(process.argv.join(" "))?.[1] ?? 100);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function main(): Promise<void> {
  const name = `beacon_measure_signin_${Date.now()}`;
  const url = withDatabase(server, name);
  const { ensureDatabase, migrate } = await import("@/lib/db/migrator");
  await ensureDatabase(url);
  await migrate(url);
  process.env.DATABASE_URL = url;
  process.env.NEXTAUTH_SECRET ??= randomUUID();
  process.env.LOG_LEVEL ??= "silent";
  const { authOptions } = await import("@/lib/auth/options");
  const { signUp } = await import("@/lib/users/users.service");
  const { disconnectDb } = await import("@/lib/db/client");
  try {
    const username = `owner${Date.now()}`;
    const password = "correct horse battery";
    await signUp({ username, displayName: "Owner", password });
    type Authorize = (c: Record<string, string>, r: { headers: Record<string, string> }) => Promise<unknown>;
    const authorize = (
      authOptions().providers.find((p) => p.id === "credentials") as unknown as {
        options: { authorize: Authorize };
      }
    ).options.authorize;
    const attempt = async (ip: string, pw: string) => {
      const t = performance.now();
      const outcome = await authorize({ username, password: pw }, { headers: { "x-beacon-client-ip": ip } })
        .then((u) => (u ? "signed in" : "wrong password"))
        .catch((err: Error) => err.message);
      return { outcome, ms: Math.round(performance.now() - t) };
    };

    const attacker = "203.0.113.66";
    const tally: Record<string, number> = {};
    const t = performance.now();
    for (let i = 0; i < failures; i++) {
      const { outcome } = await attempt(attacker, `guess ${i}`);
      const key = outcome.replace(/\d+$/, "N");
      tally[key] = (tally[key] ?? 0) + 1;
    }
    const attackMs = Math.round(performance.now() - t);
    const otherIp = await attempt("198.51.100.7", password);
    const sameIp = await attempt(attacker, password);

    // Credential stuffing: one address tries one password on many usernames.
    const stuffer = "203.0.113.99";
    const stuffing: Record<string, number> = {};
    const t2 = performance.now();
    for (let i = 0; i < failures; i++) {
      const key = await authorize(
        { username: `someone${i}`, password: "123456789" },
        { headers: { "x-beacon-client-ip": stuffer } },
      )
        .then((u) => (u ? "signed in" : "wrong password"))
        .catch((err: Error) => err.message.replace(/\d+$/, "N"));
      stuffing[key] = (stuffing[key] ?? 0) + 1;
    }
    const stuffingMs = Math.round(performance.now() - t2);
    console.info(
      JSON.stringify(
        {
          failures,
          attack: { ms: attackMs, outcomes: tally },
          "owner, right password, other address": otherIp,
          "owner, right password, attacker's address": sameIp,
          "one address, many usernames": { ms: stuffingMs, outcomes: stuffing },
        },
        null,
        2,
      ),
    );
  } finally {
    await disconnectDb().catch(() => {});
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
