// What an incoming webhook accepts (docs/integrations.md): Slack's incoming-webhook payload (`text`,
// `username`, `icon_emoji`, `attachments` with fallback/color/pretext/title/title_link/text/fields/
// footer), as JSON or as a form with `payload=<json>` (what Slack's own examples send), and Beacon's
// own JSON (`text`, optional `clientId` for an idempotent retry). Unknown keys (channel, icon_url,
// blocks, mrkdwn, ts…) are ignored, as Slack does for keys it does not use. A bad payload is a 400
// that names the field: {error:{code:"bad_request", message:"text: …", fields:{text:[…]}}}.
import { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";
import { emojiShortcodes } from "@/lib/messages/markdown";
import { MAX_MESSAGE_LENGTH, type MessageCard, type MessageMeta } from "@/lib/messages/messages.schema";

const text = (max: number) =>
  z.string({ error: "must be text" }).max(max, `too long (max ${max.toLocaleString("en-US")} characters)`);

const fieldSchema = z.object(
  {
    title: text(500).default(""),
    value: text(2000).default(""),
    short: z.boolean({ error: "must be true or false" }).default(false),
  },
  { error: "must be an object with title and value" },
);

const attachmentSchema = z.object(
  {
    fallback: text(4000).optional(),
    color: text(32).optional(),
    pretext: text(4000).optional(),
    title: text(500).optional(),
    title_link: text(2000).optional(),
    text: text(4000).optional(),
    fields: z.array(fieldSchema, { error: "must be a list" }).max(20, "at most 20 fields").optional(),
    footer: text(500).optional(),
  },
  { error: "must be an object" },
);

const payloadSchema = z
  .object(
    {
      text: text(MAX_MESSAGE_LENGTH).optional(),
      username: text(80).optional(),
      icon_emoji: z
        .string({ error: "must be text" })
        .regex(/^:[a-z0-9_+-]{1,40}:$/, "must be an emoji shortcode like :ghost:")
        .optional(),
      attachments: z
        .array(attachmentSchema, { error: "must be a list" })
        .max(20, "at most 20 attachments")
        .optional(),
      clientId: z.uuid({ error: "must be a UUID" }).optional(),
    },
    { error: "must be a JSON object" },
  )
  .refine((p) => (p.text ?? "").trim() !== "" || (p.attachments?.length ?? 0) > 0, {
    message: "required (or give attachments)",
    path: ["text"],
  });

export interface HookMessage {
  /** The message body (Markdown); never empty */
  body: string;
  meta: Omit<MessageMeta, "via">;
  clientId?: string;
}

/** Slack's named colours, and a hex colour normalized to "#rrggbb"-ish; anything else: none. */
export function cardColor(c: string | undefined): string | undefined {
  if (!c) return undefined;
  const named: Record<string, string> = { good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a" };
  if (named[c]) return named[c];
  const hex = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c.trim());
  return hex ? `#${hex[1]?.toLowerCase()}` : undefined;
}

/**
 * Slack mrkdwn → Beacon Markdown: `<url|label>` links, `<url>`, `<!here>`-style specials, `*bold*`,
 * `~strike~`, and the &amp; &lt; &gt; escapes Slack asks senders to use.
 */
export function slackToMarkdown(s: string): string {
  return s
    .replace(
      /<((?:https?|mailto):[^|>\s]+)\|([^>]+)>/g,
      (_, url: string, label: string) => `[${label}](${url})`,
    )
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, "$1")
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, "@$1")
    .replace(/(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,!?:;])/gm, "$1**$2**")
    .replace(/(^|[\s(])~([^~\n]+)~(?=$|[\s).,!?:;])/gm, "$1~~$2~~")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\r\n?/g, "\n")
    .trim();
}

const httpLink = (u: string | undefined) => (u && /^https?:\/\/\S+$/i.test(u) ? u : undefined);

function badRequest(error: z.ZodError): AppError {
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? first.path.map(String).join(".") : "payload";
  const fields = fieldErrors(error);
  if (fields[""]) {
    fields.payload = fields[""];
    delete fields[""];
  }
  return new AppError("bad_request", `${where}: ${first?.message ?? "invalid"}`, { fields });
}

function jsonOrThrow(raw: string, field: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new AppError("bad_request", `${field}: not valid JSON`, {
      fields: { [field]: ["Not valid JSON"] },
    });
  }
}

/** The request body (already byte-capped) by its content type: JSON, or a form (Slack's `payload=`). */
export function decodeHookBody(contentType: string | null, raw: string): unknown {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (raw.trim() === "")
    throw new AppError("bad_request", "text: required (the request body is empty)", {
      fields: { text: ["Required"] },
    });
  // A body that is JSON is read as JSON whatever its type: `curl -d '{"text":"…"}'` sends it as a form.
  if (type !== "application/json" && !/^\s*[{[]/.test(raw)) {
    const form = new URLSearchParams(raw);
    const payload = form.get("payload");
    if (payload !== null) return jsonOrThrow(payload, "payload");
    // A plain form (text=…&username=…): the same fields, as text.
    return Object.fromEntries([...form.entries()].filter(([k]) => k !== "attachments"));
  }
  return jsonOrThrow(raw, "body");
}

/** Validate a decoded payload and turn it into a message body and its meta. */
export function parseHookPayload(input: unknown): HookMessage {
  const parsed = payloadSchema.safeParse(input);
  if (!parsed.success) throw badRequest(parsed.error);
  const p = parsed.data;
  const cards: MessageCard[] = (p.attachments ?? []).map((a) => ({
    color: cardColor(a.color),
    pretext: a.pretext ? slackToMarkdown(a.pretext) : undefined,
    title: a.title?.trim() || undefined,
    titleLink: httpLink(a.title_link?.trim()),
    text: a.text ? slackToMarkdown(a.text) : undefined,
    fields: (a.fields ?? [])
      .filter((f) => f.title !== "" || f.value !== "")
      .map((f) => ({ title: f.title, value: slackToMarkdown(f.value), short: f.short })),
    footer: a.footer?.trim() || undefined,
    fallback: a.fallback?.trim() || undefined,
  }));
  let body = slackToMarkdown(p.text ?? "");
  // Only attachments: the text is their fallbacks (Slack's rule for notifications), which is also
  // what search, the sidebar and reply quotes show.
  if (body === "")
    body = cards
      .map((c) => c.fallback ?? c.title ?? c.text ?? c.pretext ?? "")
      .filter(Boolean)
      .join("\n")
      .slice(0, MAX_MESSAGE_LENGTH);
  if (body === "") body = "(attachment)";
  if (body.length > MAX_MESSAGE_LENGTH)
    throw new AppError("bad_request", `text: too long (max ${MAX_MESSAGE_LENGTH} characters)`, {
      fields: { text: [`Too long (max ${MAX_MESSAGE_LENGTH} characters)`] },
    });
  const shortcode = p.icon_emoji?.slice(1, -1);
  const icon = shortcode ? (emojiShortcodes as Record<string, string>)[shortcode] : undefined;
  if (shortcode && !icon)
    throw new AppError("bad_request", `icon_emoji: unknown emoji :${shortcode}:`, {
      fields: { icon_emoji: [`Unknown emoji :${shortcode}:`] },
    });
  const username = p.username?.trim() || undefined;
  return {
    body,
    meta: { ...(username ? { username } : {}), ...(icon ? { icon } : {}), cards },
    ...(p.clientId ? { clientId: p.clientId } : {}),
  };
}
