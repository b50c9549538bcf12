// POST /api/account/avatar (multipart field `file`): set my profile picture. DELETE: remove it.
import { requireApiUser } from "@/lib/auth/session";
import { removeAvatar, setAvatar } from "@/lib/files/avatars.service";
import { handle, json, otherMethods } from "@/lib/http";
import { withUploadedFile } from "@/lib/http/multipart";

export function POST(req: Request): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("POST /api/account/avatar");
    return json(await withUploadedFile(req, "file", ({ stream }) => setAvatar(user, stream)));
  });
}

export function DELETE(): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("DELETE /api/account/avatar");
    await removeAvatar(user);
    return json({ ok: true });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, OPTIONS } = otherMethods("POST", "DELETE");
