// Validation for rooms; shared by API routes, socket handlers and the forms.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";
import { usernameSchema } from "@/lib/users/users.schema";

// Lower-cased once here: PostgreSQL returns uuids lower-case, and channel names and comparisons
// built from an id as typed ("0A1B…") would otherwise miss the room's real channel.
export const roomIdSchema = z.uuid({ error: "Not a valid room id" }).toLowerCase();

export const roomNameSchema = z
  .string({ error: "Room name is required" })
  .trim()
  .min(1, "Room name is required")
  .max(64, "Room name must be at most 64 characters")
  .refine((s) => !hasControlChars(s), "Room name cannot contain control characters");

export const roomTopicSchema = z
  .string({ error: "Topic must be text" })
  .trim()
  .max(250, "Topic must be at most 250 characters")
  .refine((s) => !hasControlChars(s), "Topic cannot contain control characters");

export const createRoomSchema = z.strictObject({
  name: roomNameSchema,
  topic: roomTopicSchema.default(""),
  isPrivate: z.boolean().default(false),
});
export type CreateRoomInput = z.input<typeof createRoomSchema>;

export const addMemberSchema = z.strictObject({ username: usernameSchema });

/** Group DMs hold at most this many people, the creator included. */
export const MAX_DM_MEMBERS = 8;

export const openDmSchema = z.strictObject({
  usernames: z
    .array(usernameSchema, { error: "usernames must be a list" })
    .min(1, "Pick at least one person")
    .max(MAX_DM_MEMBERS - 1, `A group conversation holds at most ${MAX_DM_MEMBERS} people`),
});

export const markReadSchema = z.strictObject({
  roomId: roomIdSchema,
  seq: z.number({ error: "seq must be a number" }).int().min(0).max(2_147_483_647),
});

export const muteSchema = z.strictObject({
  roomId: roomIdSchema,
  muted: z.boolean({ error: "muted must be true or false" }),
});

export type RoomKind = "channel" | "dm";

/** A room as the UI sees it. */
export interface RoomSummary {
  id: string;
  kind: RoomKind;
  /** Channel name, or for a DM the other participants' names as the viewer sees them */
  name: string;
  topic: string;
  isPrivate: boolean;
  ownerId: string;
  lastSeq: number;
  rev: number;
  memberCount: number;
  /** Longer text shown in the room settings and the room's first screen */
  description: string;
  /** Announcement room: only room moderators and workspace moderators and above post */
  readOnly: boolean;
  /** Archived: nobody posts, hidden from Browse; members still read it */
  archived: boolean;
  /** Slow mode: one message per this many seconds per member (0: off; moderators exempt) */
  slowModeSeconds: number;
}

export interface RoomView extends RoomSummary {
  isMember: boolean;
  isOwner: boolean;
  /** My role in the room ("owner" | "moderator" | "member"), null when not a member */
  myRole: string | null;
  /** The viewer's read marker (0 when not a member) */
  lastReadSeq: number;
  muted: boolean;
}

/** One sidebar entry: a room or DM I belong to, with its unread state. */
export interface SidebarRoom {
  id: string;
  kind: RoomKind;
  name: string;
  isPrivate: boolean;
  lastSeq: number;
  lastReadSeq: number;
  unread: number;
  mentions: number;
  muted: boolean;
  lastMessageAt: string | null;
  archived: boolean;
  /** I have an unsent draft here (lib/drafts). */
  draft?: boolean;
  /** A DM's first other participant (their avatar stands for the DM); null when alone. */
  peer?: { id: string; displayName: string } | null;
  /** A DM with more than one other person (no single presence dot stands for it). */
  group?: boolean;
}

export interface MemberView {
  id: string;
  username: string;
  displayName: string;
  role: string;
  /** Profile picture URL, null when none */
  avatarUrl?: string | null;
  /** Present (true) for a bot account: shown with a BOT badge. */
  isBot?: boolean;
}
