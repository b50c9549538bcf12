// Shared by `npm run measure` and `npm run bench`: seeding chat-like history straight into the
// database, and sequential latency sampling (p50/p99) of one request.
import pg from "pg";

export function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export interface Latency {
  p50: number;
  p99: number;
}

/** `rounds` sequential calls after 20 warm-up calls; milliseconds. */
export async function sampleLatency(fn: () => Promise<void>, rounds: number): Promise<Latency> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50: pct(samples, 50), p99: pct(samples, 99) };
}

const WORDS = [
  "deploy",
  "release",
  "review",
  "standup",
  "lunch",
  "incident",
  "database",
  "migration",
  "design",
  "customer",
  "invoice",
  "roadmap",
  "sprint",
  "bug",
  "fix",
  "coffee",
  "meeting",
  "friday",
  "monday",
  "budget",
  "kubernetes",
  "postgres",
  "socket",
  "latency",
  "dashboard",
  "feedback",
  "hiring",
  "onboarding",
  "security",
  "backup",
];

export async function seedMessages(
  url: string,
  roomId: string,
  authorId: string,
  count: number,
  from = 1,
): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  // Chat-like text: five words drawn from a small vocabulary (so common words match many rows) plus
  // a per-message token (so rare words match few).
  await c.query(
    `INSERT INTO "Message" ("roomId", seq, "authorId", "clientId", body, "createdAt")
     SELECT $1::uuid, g, $2::uuid, gen_random_uuid(),
            w[1 + (g * 7) % 30] || ' ' || w[1 + (g * 13) % 30] || ' the ' || w[1 + (g * 17) % 30] || ' is ' ||
            w[1 + (g * 23) % 30] || ' ' || w[1 + (g * 29) % 30] || ' ticket' || g,
            now() - ((${from + count} - g) || ' seconds')::interval
     FROM generate_series(${from}, ${from + count - 1}) g, (SELECT $3::text[] AS w) words`,
    [roomId, authorId, WORDS],
  );
  await c.query(`UPDATE "Room" SET "lastSeq" = $2 WHERE id = $1`, [roomId, from + count - 1]);
  await c.query("ANALYZE");
  await c.end();
}
