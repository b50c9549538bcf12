// DELETE /api/admin/commands/:id: remove a custom slash command (admins only; 404 otherwise).
import { requireApiUser } from "@/lib/auth/session";
import { deleteSlashCommand } from "@/lib/commands/commands.service";
import { handle, json, otherMethods } from "@/lib/http";

export function DELETE(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const actor = await requireApiUser("DELETE /api/admin/commands/:id");
    return json({ deleted: await deleteSlashCommand(actor, (await ctx.params).id) });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
