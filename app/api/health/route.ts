// GET /api/health: 200 {status:"ok",db:"ok"}, or 503 when the database does not answer. Unauthenticated,
// so it shares the readiness check (the app's pool, at most once a second) instead of querying per call.
import { otherMethods } from "@/lib/http";
import { databaseStatus } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  const { db } = await databaseStatus();
  if (db === "ok") return Response.json({ status: "ok", db: "ok" }, { headers });
  return Response.json({ status: "error", db: "unreachable" }, { status: 503, headers });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
