// GET /api/files/:id[?size=thumb|preview][&download=1]: the file, if the viewer can read its room now
// (checked on every request; 404 otherwise). DELETE: the uploader cancels an upload not yet sent.
import { requireApiUser } from "@/lib/auth/session";
import { deleteUpload, fileForViewer } from "@/lib/files/files.service";
import { storage } from "@/lib/files/storage";
import { handle, json, otherMethods } from "@/lib/http";
import { serveObject } from "@/lib/http/download";

type Ctx = { params: Promise<{ fileId: string }> };

export function GET(req: Request, ctx: Ctx): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/files/:fileId");
    const { fileId } = await ctx.params;
    const q = new URL(req.url).searchParams;
    const f = await fileForViewer(user, { id: fileId, size: q.get("size") ?? undefined });
    return serveObject(req, {
      storage: storage(),
      key: f.key,
      type: f.type,
      etag: `"${f.id}.${f.variant}"`,
      // Only raster images Beacon re-encoded are shown inline; everything else is a download.
      disposition: f.kind === "image" && q.get("download") !== "1" ? "inline" : "attachment",
      filename: f.variant === "original" ? f.name : `${f.name}.${f.variant}.webp`,
    });
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
