// GET /api/mentions: messages that mention me, newest first.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json } from "@/lib/http";
import { listMentions } from "@/lib/search/search.service";

export function GET(): Promise<Response> {
  return handle(async () => json({ mentions: await listMentions(await requireApiUser()) }));
}
