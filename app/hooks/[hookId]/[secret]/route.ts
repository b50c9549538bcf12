// POST /hooks/<id>/<secret>: an incoming webhook (Slack-compatible payloads, docs/integrations.md).
// Not under /api and not signed in: the secret in the URL is the credential. External senders
// (curl, CI, monitoring) send no Origin and no cookies, which the pipeline's cross-site refusal lets
// through; a browser page on another site is refused there. Limited per hook before any database
// work. Unknown, revoked or wrong-secret URLs are all the same 404.
import { handle, json, otherMethods, readText } from "@/lib/http";
import { limits } from "@/lib/ratelimit/limits";
import { messageToRoom } from "@/lib/realtime/server/registry";
import { decodeHookBody, parseHookPayload } from "@/lib/webhooks/slack-payload";
import { receiveIncoming } from "@/lib/webhooks/webhooks.service";

/** A Slack payload with 20 attachments of long texts still fits; anything bigger is a 413. */
const MAX_BODY = 128 * 1024;

export function POST(
  req: Request,
  ctx: { params: Promise<{ hookId: string; secret: string }> },
): Promise<Response> {
  return handle(async () => {
    const { hookId, secret } = await ctx.params;
    await limits().consume("POST /hooks/:hookId/:secret", hookId.slice(0, 64));
    const msg = parseHookPayload(
      decodeHookBody(req.headers.get("content-type"), await readText(req, MAX_BODY)),
    );
    const { message, created } = await receiveIncoming(hookId, secret, msg);
    if (created) messageToRoom("new", message);
    return json(
      { ok: true, message: { id: message.id, roomId: message.roomId, seq: message.seq } },
      created ? 201 : 200,
    );
  });
}

// Wrong methods get a JSON 405 with Allow; OPTIONS names only the methods above.
export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods("POST");
