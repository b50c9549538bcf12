// Bot accounts (issue 18, item 1): the wire shapes and input rules, shared with the Bots page.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";
import { displayNameSchema, usernameSchema } from "@/lib/users/users.schema";
import type { Role } from "@/lib/workspace/roles";

export const BOT_DESCRIPTION_MAX = 280;

const descriptionSchema = z
  .string({ error: "Description must be text" })
  .trim()
  .max(BOT_DESCRIPTION_MAX, `Description must be at most ${BOT_DESCRIPTION_MAX} characters`)
  .refine((s) => !hasControlChars(s.replace(/\n/g, "")), "Description cannot contain control characters");

export const createBotSchema = z.strictObject({
  username: usernameSchema,
  displayName: displayNameSchema,
  description: descriptionSchema.optional(),
});
export type CreateBotInput = z.input<typeof createBotSchema>;

export const updateBotSchema = z
  .strictObject({
    displayName: displayNameSchema.optional(),
    description: descriptionSchema.optional(),
  })
  .refine((b) => b.displayName !== undefined || b.description !== undefined, {
    message: "Nothing to change: send displayName or description",
  });
export type UpdateBotInput = z.input<typeof updateBotSchema>;

export const botIdSchema = z.uuid({ error: "Not a bot id" }).transform((s) => s.toLowerCase());

/** A bot as its owner (or an admin) sees it. */
export interface BotView {
  id: string;
  username: string;
  displayName: string;
  description: string;
  avatarUrl: string | null;
  /** Its owner (null only if the owner's account was removed from the database). */
  owner: { id: string; username: string; displayName: string } | null;
  /** Its workspace role (member unless an admin changed it in the console). */
  role: Role;
  deactivated: boolean;
  createdAt: string;
}
