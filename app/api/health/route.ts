// GET /api/health: 200 {status:"ok",db:"ok"}, or 503 when the database does not answer.
import { db } from "@/lib/db/client";
import { otherMethods } from "@/lib/http";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  try {
    await Promise.race([
      db().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 2000)),
    ]);
    return Response.json({ status: "ok", db: "ok" }, { headers });
  } catch {
    return Response.json({ status: "error", db: "unreachable" }, { status: 503, headers });
  }
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
