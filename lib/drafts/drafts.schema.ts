// A draft: what a member is writing in a room and has not sent, one per user and room, kept on the
// server so it follows them across room switches, reloads and devices. Shared with the browser.
import { z } from "zod";
import { MAX_MESSAGE_LENGTH } from "@/lib/messages/messages.schema";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";

/** How long the composer waits after the last keystroke before it saves. */
export const DRAFT_SAVE_DELAY_MS = 800;

/** The text as typed (not trimmed: it is still being written), capped like a message. */
export const draftBodySchema = z
  .string({ error: "Draft must be text" })
  .transform((s) => s.replace(/\r\n?/g, "\n"))
  .pipe(
    z
      .string()
      .max(
        MAX_MESSAGE_LENGTH,
        `Draft is too long (max ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters)`,
      )
      .refine((s) => !s.includes("\u0000"), "Draft contains an invalid character"),
  );

/** Save a draft; an empty (or blank) body clears it. */
export const saveDraftSchema = z.strictObject({ roomId: roomIdSchema, body: draftBodySchema });

export interface DraftView {
  roomId: string;
  /** "" when there is no draft (cleared, or sent). */
  body: string;
  /** When it was saved or cleared (server time, ISO 8601). */
  updatedAt: string;
}

/** Whether a body counts as a draft (blank text is no draft: it is cleared). */
export const isDraft = (body: string): boolean => body.trim() !== "";
