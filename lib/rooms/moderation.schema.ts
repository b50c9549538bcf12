// Validation and shapes for room moderation (settings, members, bans, pins); shared by the API
// routes, the socket handlers and the room settings forms.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";
import { roomIdSchema, roomNameSchema, roomTopicSchema } from "./rooms.schema";

/** Slow mode's longest wait: 6 hours. */
export const MAX_SLOW_MODE_SECONDS = 21_600;

/** What the settings form offers (the API takes any whole number of seconds up to the maximum). */
export const SLOW_MODE_CHOICES: readonly { seconds: number; label: string }[] = [
  { seconds: 0, label: "Off" },
  { seconds: 5, label: "5 seconds" },
  { seconds: 10, label: "10 seconds" },
  { seconds: 30, label: "30 seconds" },
  { seconds: 60, label: "1 minute" },
  { seconds: 300, label: "5 minutes" },
  { seconds: 900, label: "15 minutes" },
  { seconds: 3600, label: "1 hour" },
  { seconds: 21_600, label: "6 hours" },
];

export const roomDescriptionSchema = z
  .string({ error: "Description must be text" })
  .trim()
  .max(1000, "Description must be at most 1000 characters")
  .refine((s) => !hasControlChars(s, "\n"), "Description cannot contain control characters");

export const roomSettingsSchema = z
  .strictObject({
    name: roomNameSchema.optional(),
    topic: roomTopicSchema.optional(),
    description: roomDescriptionSchema.optional(),
    readOnly: z.boolean({ error: "readOnly must be true or false" }).optional(),
    archived: z.boolean({ error: "archived must be true or false" }).optional(),
    slowModeSeconds: z
      .number({ error: "Slow mode must be a number of seconds" })
      .int("Slow mode must be a whole number of seconds")
      .min(0, "Slow mode cannot be negative")
      .max(MAX_SLOW_MODE_SECONDS, "Slow mode can be at most 6 hours")
      .optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), "Nothing to change");
export type RoomSettingsInput = z.input<typeof roomSettingsSchema>;

export const deleteRoomSchema = z.strictObject({
  confirm: z.string({ error: "Type the room's name to confirm" }),
});

export const userIdSchema = z.uuid({ error: "Not a valid user id" }).toLowerCase();

export const memberRoleSchema = z.strictObject({
  role: z.enum(["moderator", "member"], { error: 'role must be "moderator" or "member"' }),
});

export const banSchema = z.strictObject({
  reason: z
    .string({ error: "Reason must be text" })
    .trim()
    .max(500, "Reason must be at most 500 characters")
    .refine((s) => !hasControlChars(s), "Reason cannot contain control characters")
    .default(""),
});

export const pinMessageSchema = z.strictObject({
  roomId: roomIdSchema,
  messageId: z.uuid({ error: "Not a valid message id" }),
  pinned: z.boolean({ error: "pinned must be true or false" }),
});
export type PinMessageInput = z.input<typeof pinMessageSchema>;

/** A room's moderation settings: the payload of `room:updated`. */
export interface RoomSettings {
  roomId: string;
  name: string;
  topic: string;
  description: string;
  readOnly: boolean;
  archived: boolean;
  slowModeSeconds: number;
}

/** `room:updated`: the settings, and for the one member whose room role changed, their new role. */
export interface RoomUpdate extends RoomSettings {
  myRole?: string;
}

export interface BanView {
  user: { id: string; username: string; displayName: string };
  bannedBy: string;
  reason: string;
  createdAt: string;
}

/** Why a member's tabs left a room (shown to them): removed, banned, or the room was deleted. */
export type RemovalReason = "removed" | "banned" | "deleted";

export function removalNotice(reason: RemovalReason, roomName: string): string {
  if (reason === "banned") return `You were banned from #${roomName}`;
  if (reason === "deleted") return `#${roomName} was deleted`;
  return `You were removed from #${roomName}`;
}
