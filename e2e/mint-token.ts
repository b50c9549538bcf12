// Test-only: mint a personal access token for a user of the running e2e server, straight through
// lib/tokens/tokens.service.ts against its embedded PostgreSQL (DATA_DIR=.e2e-data), and print it.
//   npx tsx e2e/mint-token.ts <username> [scope,scope]
// (Specs call it through mintToken in e2e/api-v1.spec.ts; the Settings page makes tokens for people.)
process.env.LOG_LEVEL ??= "warn";

async function main(): Promise<void> {
  const [username, scopes = "read,write"] = process.argv.slice(2);
  if (!username) throw new Error("usage: mint-token.ts <username> [scopes]");
  const { dataDir } = await import("@/lib/env");
  const { embeddedUrl, runningEmbeddedPort } = await import("@/lib/db/embedded");
  const { loadOrCreateSecrets } = await import("@/lib/secrets");
  const dir = dataDir();
  const port = await runningEmbeddedPort(dir);
  if (!port) throw new Error(`no Beacon server is running on DATA_DIR=${dir}`);
  process.env.DATABASE_URL = embeddedUrl((await loadOrCreateSecrets(dir)).pgPassword, port);
  const { db, disconnectDb } = await import("@/lib/db/client");
  const { createToken } = await import("@/lib/tokens/tokens.service");
  const user = await db().user.findUniqueOrThrow({ where: { username }, select: { id: true } });
  const created = await createToken(user, { name: "e2e", scopes: scopes.split(",") });
  process.stdout.write(`${created.token}\n`);
  await disconnectDb();
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
