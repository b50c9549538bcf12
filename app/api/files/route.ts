// POST /api/files (multipart: field roomId, then field file): stream one file into storage for a
// room the user can post in. 201 {file: FileView}; 413 when over the per-file limit or the quota,
// refused while streaming with nothing kept.
import { requireApiUser } from "@/lib/auth/session";
import { prepareUpload, receiveFile, uploadTooLarge } from "@/lib/files/files.service";
import { handle, json, otherMethods } from "@/lib/http";
import { MULTIPART_OVERHEAD, withUploadedFile } from "@/lib/http/multipart";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/files");
    const queryRoom = new URL(req.url).searchParams.get("roomId");
    const file = await withUploadedFile(req, "file", async ({ fields, filename, stream, declaredLength }) => {
      const ticket = await prepareUpload(user, { roomId: fields.roomId ?? queryRoom ?? undefined });
      // A declared length that cannot fit: refused before a byte of the file is read.
      if (declaredLength !== null && declaredLength > ticket.capBytes + MULTIPART_OVERHEAD)
        throw uploadTooLarge(ticket, filename);
      return receiveFile(user, ticket, filename, stream);
    });
    return json({ file }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
