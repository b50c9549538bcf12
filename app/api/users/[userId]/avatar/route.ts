// GET /api/users/:userId/avatar?size=32|64|256: a person's profile picture (any signed-in user); 404
// when they have none. The URL carries ?v=<version>, so it may be cached for long: a new picture is
// a new URL.
import { requireApiUser } from "@/lib/auth/session";
import { avatarForViewer } from "@/lib/files/avatars.service";
import { storage } from "@/lib/files/storage";
import { handle, otherMethods } from "@/lib/http";
import { serveObject } from "@/lib/http/download";

export function GET(req: Request, ctx: { params: Promise<{ userId: string }> }): Promise<Response> {
  return handle(async () => {
    const user = await requireApiUser("GET /api/users/:userId/avatar");
    const { userId } = await ctx.params;
    const a = await avatarForViewer(user, {
      userId,
      size: new URL(req.url).searchParams.get("size") ?? undefined,
    });
    return serveObject(req, {
      storage: storage(),
      key: a.key,
      type: "image/webp",
      etag: a.etag,
      disposition: "inline",
      cacheControl: "private, max-age=86400",
    });
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods("GET");
