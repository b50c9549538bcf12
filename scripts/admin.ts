// npm run admin -- <command>: the operator's tool for the workspace's people, for when nobody can
// sign in as an admin (e.g. the only owner locked themselves out). The operator has the machine, so
// no role checks apply; every change is audited as "command line".
//
// Database: DATABASE_URL when set. Otherwise the embedded PostgreSQL in DATA_DIR: attached to when a
// Beacon server is running on it (postmaster.pid), else started for the command and stopped after.
import { parseArgs } from "node:util";

process.env.LOG_LEVEL ??= "warn";

const HELP = `Usage: npm run admin -- <command> [options]

Commands:
  users:list [--search <text>]            List people: username, name, role, status
  users:promote <username> --role <role>  Set a workspace role: owner, admin, moderator, member, guest
  users:reset-link <username>             Print a one-time password reset link (valid for 1 hour)
  users:deactivate <username>             Deactivate: ends every session, refuses sign-in
  users:reactivate <username>             Allow sign-in again
  help                                    This text

Database: DATABASE_URL if set, else the embedded PostgreSQL in DATA_DIR (default ./data).
Reset links use NEXTAUTH_URL (or BEACON_URL, else http://localhost:3000).`;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

async function connect(): Promise<() => Promise<void>> {
  const { parseEnv, dataDir } = await import("@/lib/env");
  const e = parseEnv();
  if (e.DATABASE_URL) return async () => {};
  const dir = dataDir();
  const { embeddedClusterExists, embeddedUrl, runningEmbeddedPort, startEmbeddedPostgres } = await import(
    "@/lib/db/embedded"
  );
  if (!embeddedClusterExists(dir))
    throw new UsageError(
      `No Beacon database in DATA_DIR=${dir}. Start Beacon once (npm start), or set DATA_DIR or DATABASE_URL.`,
    );
  const { loadOrCreateSecrets } = await import("@/lib/secrets");
  const { pgPassword } = await loadOrCreateSecrets(dir);
  const running = await runningEmbeddedPort(dir);
  if (running) {
    // A server owns this cluster: use it (starting another would stop the server's).
    process.env.DATABASE_URL = embeddedUrl(pgPassword, running);
    return async () => {};
  }
  const pg = await startEmbeddedPostgres({ dataDir: dir, password: pgPassword, port: e.EMBEDDED_PG_PORT });
  process.env.DATABASE_URL = pg.url;
  try {
    const { ensureDatabase, migrate } = await import("@/lib/db/migrator");
    await ensureDatabase(pg.url);
    await migrate(pg.url);
  } catch (err) {
    await pg.stop();
    throw err;
  }
  return () => pg.stop();
}

function baseUrl(): string {
  const raw = process.env.NEXTAUTH_URL?.trim() || process.env.BEACON_URL?.trim();
  return raw || `http://localhost:${process.env.PORT?.trim() || "3000"}`;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { role: { type: "string" }, search: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (!command || command === "help" || values.help) {
    out(HELP);
    return command || values.help ? 0 : 2;
  }
  const known = ["users:list", "users:promote", "users:reset-link", "users:deactivate", "users:reactivate"];
  if (!known.includes(command))
    throw new UsageError(`Unknown command "${command}". Run: npm run admin -- help`);
  const needsUser = command !== "users:list";
  const username = rest[0];
  if (needsUser && !username) throw new UsageError(`${command} needs a username. Run: npm run admin -- help`);
  if (rest.length > (needsUser ? 1 : 0)) throw new UsageError(`Unexpected argument "${rest.at(-1)}"`);
  if (command === "users:promote" && !values.role)
    throw new UsageError("users:promote needs --role owner|admin|moderator|member|guest");

  const stop = await connect();
  const admin = await import("@/lib/admin/admin.service");
  const { disconnectDb } = await import("@/lib/db/client");
  try {
    if (command === "users:list") {
      let after: string | undefined;
      const rows: string[][] = [["USERNAME", "NAME", "ROLE", "STATUS", "CREATED"]];
      do {
        const page = await admin.listUsers(admin.COMMAND_LINE, {
          ...(values.search ? { q: values.search } : {}),
          ...(after ? { after } : {}),
          limit: 100,
        });
        for (const u of page.users)
          rows.push([
            u.username,
            u.displayName,
            u.role,
            u.deactivated ? "deactivated" : "active",
            u.createdAt.slice(0, 10),
          ]);
        after = page.next ?? undefined;
      } while (after);
      const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
      for (const r of rows)
        out(
          r
            .map((c, i) => c.padEnd(widths[i] ?? 0))
            .join("  ")
            .trimEnd(),
        );
      return 0;
    }
    const user = await admin.findUserForCommandLine(username ?? "");
    if (!user)
      throw new UsageError(`No user named "${username}". List them with: npm run admin -- users:list`);
    if (command === "users:promote") {
      const { changed } = await admin.changeRole(admin.COMMAND_LINE, user.id, values.role);
      out(
        changed
          ? `@${user.username} is now ${values.role} (was ${user.role}).`
          : `@${user.username} already is ${values.role}.`,
      );
      if (changed) out("Their open tabs show the new role after their next page load.");
    } else if (command === "users:reset-link") {
      const { token, expiresAt } = await admin.createResetLink(admin.COMMAND_LINE, user.id);
      out(`One-time password reset link for @${user.username} (valid until ${expiresAt}):`);
      out(new URL(`/reset/${token}`, baseUrl()).toString());
    } else if (command === "users:deactivate") {
      const { changed } = await admin.deactivateUser(admin.COMMAND_LINE, user.id);
      out(
        changed
          ? `@${user.username} is deactivated: every session has ended and sign-in is refused.`
          : `@${user.username} was already deactivated.`,
      );
    } else {
      const { changed } = await admin.reactivateUser(admin.COMMAND_LINE, user.id);
      out(changed ? `@${user.username} can sign in again.` : `@${user.username} was already active.`);
    }
    return 0;
  } finally {
    await disconnectDb();
    await stop();
  }
}

run(process.argv.slice(2))
  .then((code) => process.exit(code))
  .catch(async (err: unknown) => {
    const { AppError } = await import("@/lib/errors");
    if (
      err instanceof UsageError ||
      err instanceof AppError ||
      (err as { code?: string }).code?.startsWith?.("ERR_PARSE_ARGS")
    ) {
      process.stderr.write(`Error: ${(err as Error).message}\n`);
      process.exit(err instanceof AppError ? 1 : 2);
    }
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
