// POST /api/files (multipart: field roomId, then field file): stream one file into storage for a
// room the user can post in. 201 {file: FileView}; 413 when over the per-file limit or the quota,
// refused while streaming with nothing kept.
import { requireApiUser } from "@/lib/auth/session";
import { handle, json, otherMethods } from "@/lib/http";
import { uploadFromRequest } from "@/lib/http/file-transfer";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/files");
    return json({ file: await uploadFromRequest(req, user) }, 201);
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
