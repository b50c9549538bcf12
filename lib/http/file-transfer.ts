// The streamed upload and the download of a stored file, shared by POST/GET /api/files and the REST
// API v1 (POST/GET /api/v1/files): one piece of code for each, whichever route a client calls.

import type { FileView } from "@/lib/files/files.schema";
import { fileForViewer, prepareUpload, receiveFile, uploadTooLarge } from "@/lib/files/files.service";
import { storage } from "@/lib/files/storage";
import { serveObject } from "@/lib/http/download";
import { MULTIPART_OVERHEAD, withUploadedFile } from "@/lib/http/multipart";
import type { SessionUser } from "@/lib/users/users.schema";

/**
 * Stream the multipart request's `file` part into storage for the room named by its `roomId` field
 * (sent before the file) or `?roomId=`. A declared length that cannot fit is refused before a byte
 * of the file is read; one that streams past the limit is refused there with nothing kept.
 */
export function uploadFromRequest(req: Request, user: SessionUser): Promise<FileView> {
  const queryRoom = new URL(req.url).searchParams.get("roomId");
  return withUploadedFile(req, "file", async ({ fields, filename, stream, declaredLength }) => {
    const ticket = await prepareUpload(user, { roomId: fields.roomId ?? queryRoom ?? undefined });
    if (declaredLength !== null && declaredLength > ticket.capBytes + MULTIPART_OVERHEAD)
      throw uploadTooLarge(ticket, filename);
    return receiveFile(user, ticket, filename, stream);
  });
}

/**
 * A stored file (`?size=thumb|preview`, `?download=1`) if the viewer can read its room now (checked
 * on every request; 404 otherwise), with ETag/304 and Range/206 (lib/http/download.ts).
 */
export async function downloadResponse(req: Request, user: SessionUser, fileId: string): Promise<Response> {
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
}
