// Search input: free words plus the filters in:#room and from:@user.
import { z } from "zod";
import type { FileView } from "@/lib/files/files.schema";
import { CONTROL_CHARS_IN_SEARCH, hasControlChars } from "@/lib/text";

export const searchSchema = z.strictObject({
  q: z
    .string({ error: "q must be text" })
    .trim()
    .min(1, "Type something to search for")
    .max(200, "Search is too long")
    // NUL reached PostgreSQL through the in:#room filter (a 500); no control character is wanted.
    .refine((s) => !hasControlChars(s), CONTROL_CHARS_IN_SEARCH),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** Keyset: return results older than this message's (createdAt, id) */
  before: z.uuid().optional(),
});

export interface ParsedQuery {
  words: string[];
  room?: string;
  from?: string;
  /** has:file (any attachment) or has:image */
  has?: "file" | "image";
}

/** Split "deploy fri in:#ops from:@ana" into words and filters. */
export function parseQuery(q: string): ParsedQuery {
  const out: ParsedQuery = { words: [] };
  for (const token of q.split(/\s+/)) {
    const inMatch = /^in:#?(.+)$/i.exec(token);
    const fromMatch = /^from:@?([a-z0-9_.-]+)$/i.exec(token);
    const hasMatch = /^has:(file|image)s?$/i.exec(token);
    if (hasMatch?.[1]) out.has = hasMatch[1].toLowerCase() === "image" ? "image" : "file";
    else if (inMatch?.[1]) out.room = inMatch[1].toLowerCase();
    else if (fromMatch?.[1]) out.from = fromMatch[1].toLowerCase();
    else {
      // Keep letters and digits only: the words become tsquery lexemes.
      for (const w of token.normalize("NFKC").split(/[^\p{L}\p{N}]+/u))
        if (w) out.words.push(w.toLowerCase());
    }
  }
  out.words = out.words.slice(0, 12);
  return out;
}

export interface SearchHit {
  messageId: string;
  roomId: string;
  roomName: string;
  roomKind: "channel" | "dm";
  seq: number;
  createdAt: string;
  author: { id: string; username: string; displayName: string; deactivated: boolean; isBot?: boolean };
  /** The message text with matches wrapped in \u0002…\u0003 (render as <mark>, never as HTML) */
  highlighted: string;
  /** The message's files (file names are searched too) */
  files: FileView[];
}
