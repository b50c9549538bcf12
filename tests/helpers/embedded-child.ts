// Child process for the crash test: starts the embedded PostgreSQL, says so, then waits to be killed.
import { startEmbeddedPostgres } from "@/lib/db/embedded";

const [dataDir, password] = process.argv.slice(2) as [string, string];
startEmbeddedPostgres({ dataDir, password }).then((pg) => {
  process.stdout.write(`ready ${pg.pid} ${pg.url}\n`);
  setInterval(() => {}, 1000);
});
