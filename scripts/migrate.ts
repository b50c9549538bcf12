// `npm run db:migrate`: apply pending migrations (embedded PostgreSQL when DATABASE_URL is unset).
import { prepareDatabase } from "@/lib/db/bootstrap";

async function main() {
  const db = await prepareDatabase();
  await db.stop();
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
