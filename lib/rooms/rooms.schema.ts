// Validation for rooms; shared by API routes, socket handlers and the forms.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";
import { usernameSchema } from "@/lib/users/users.schema";

export const roomIdSchema = z.uuid({ error: "Not a valid room id" });

export const roomNameSchema = z
  .string({ error: "Room name is required" })
  .trim()
  .min(1, "Room name is required")
  .max(64, "Room name must be at most 64 characters")
  .refine((s) => !hasControlChars(s), "Room name cannot contain control characters");

export const createRoomSchema = z.strictObject({
  name: roomNameSchema,
  topic: z
    .string()
    .trim()
    .max(250, "Topic must be at most 250 characters")
    .refine((s) => !hasControlChars(s), "Topic cannot contain control characters")
    .default(""),
  isPrivate: z.boolean().default(false),
});
export type CreateRoomInput = z.input<typeof createRoomSchema>;

export const addMemberSchema = z.strictObject({ username: usernameSchema });

/** A room as the UI sees it. */
export interface RoomSummary {
  id: string;
  name: string;
  topic: string;
  isPrivate: boolean;
  ownerId: string;
  lastSeq: number;
  memberCount: number;
}

export interface RoomView extends RoomSummary {
  isMember: boolean;
  isOwner: boolean;
}

export interface MemberView {
  id: string;
  username: string;
  displayName: string;
  role: string;
}
