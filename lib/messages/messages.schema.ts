// Validation and wire shapes for messages; the composer reuses messageBodySchema.
import { z } from "zod";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";

export const MAX_MESSAGE_LENGTH = 4000;
export const PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export const messageBodySchema = z
  .string({ error: "Message must be text" })
  .transform((s) => s.replace(/\r\n?/g, "\n").trim())
  .pipe(
    z
      .string()
      .min(1, "Message cannot be empty")
      .max(
        MAX_MESSAGE_LENGTH,
        `Message is too long (max ${MAX_MESSAGE_LENGTH.toLocaleString("en-US")} characters)`,
      )
      .refine((s) => !s.includes("\u0000"), "Message contains an invalid character"),
  );

export const sendMessageSchema = z.strictObject({
  roomId: roomIdSchema,
  clientId: z.uuid({ error: "clientId must be a UUID" }),
  body: messageBodySchema,
});
export type SendMessageInput = z.input<typeof sendMessageSchema>;

const seqParam = z.coerce
  .number({ error: "must be a number" })
  .int("must be a whole number")
  .min(0, "must be 0 or more")
  .max(2_147_483_647, "is too large");

export const listMessagesSchema = z
  .strictObject({
    roomId: roomIdSchema,
    before: seqParam.optional(),
    after: seqParam.optional(),
    limit: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
      .default(PAGE_SIZE),
  })
  .refine((q) => q.before === undefined || q.after === undefined, {
    message: "use either before or after, not both",
    path: ["before"],
  });
export type ListMessagesInput = z.input<typeof listMessagesSchema>;

export interface MessageAuthor {
  id: string;
  username: string;
  displayName: string;
}

/** A stored message as every client receives it. */
export interface ChatMessage {
  id: string;
  roomId: string;
  seq: number;
  clientId: string;
  body: string;
  createdAt: string;
  author: MessageAuthor;
}

export interface MessagePage {
  messages: ChatMessage[];
  /** True when more messages exist beyond this page in the direction asked for. */
  hasMore: boolean;
}
