// GET /api/files/:id[?size=thumb|preview][&download=1]: the file, if the viewer can read its room now
// (checked on every request; 404 otherwise). DELETE: the uploader cancels an upload not yet sent.
import { requireApiUser } from "@/lib/auth/session";
import { deleteUpload } from "@/lib/files/files.service";
import { handle, json, otherMethods } from "@/lib/http";
import { downloadResponse } from "@/lib/http/file-transfer";

type Ctx = { params: Promise<{ fileId: string }> };

export function GET(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/files/:fileId");
    return downloadResponse(req, user, (await ctx.params).fileId);
  });
}

export function DELETE(_req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/files/:fileId");
    const { fileId } = await ctx.params;
    await deleteUpload(user, fileId);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, OPTIONS } = otherMethods("GET", "DELETE");
