// GET /api/admin/commands → {commands}: the custom slash commands. POST {name, bot, url, description?,
// usageHint?} → 201 {command} with its signing secret (shown once). Admins only (404).
import { requireApiUser } from "@/lib/auth/session";
import { createSlashCommand, listSlashCommands } from "@/lib/commands/commands.service";
import { handle, json, otherMethods, readJson } from "@/lib/http";

export function GET(): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("GET /api/admin/commands");
    return json({ commands: await listSlashCommands(actor) });
  });
}

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("POST /api/admin/commands");
    return json({ command: await createSlashCommand(actor, await readJson(req)) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET", "POST");
