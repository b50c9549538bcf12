// Invite links: validation shared by the API, the admin console form and the room-invite dialog.
import { z } from "zod";
import { ROLE_LABELS, type Role } from "@/lib/workspace/roles";

/** Roles a workspace invite may grant (owner is never handed out by a link). */
export const INVITE_ROLES = ["admin", "moderator", "member", "guest"] as const;
export type InviteRole = (typeof INVITE_ROLES)[number];

export const INVITE_EXPIRY = ["1d", "7d", "30d", "never"] as const;
export type InviteExpiry = (typeof INVITE_EXPIRY)[number];
export const INVITE_EXPIRY_LABELS: Record<InviteExpiry, string> = {
  "1d": "1 day",
  "7d": "7 days",
  "30d": "30 days",
  never: "Never",
};
const EXPIRY_MS: Record<InviteExpiry, number | null> = {
  "1d": 86_400_000,
  "7d": 7 * 86_400_000,
  "30d": 30 * 86_400_000,
  never: null,
};
export function expiryDate(e: InviteExpiry, now = Date.now()): Date | null {
  const ms = EXPIRY_MS[e];
  return ms === null ? null : new Date(now + ms);
}

export const MAX_INVITE_USES = 10_000;

const maxUses = z
  .number({ error: "Max uses must be a number" })
  .int("Max uses must be a whole number")
  .min(1, "Max uses must be at least 1")
  .max(MAX_INVITE_USES, `Max uses must be at most ${MAX_INVITE_USES}`)
  .nullable()
  .default(null);
const expiresIn = z
  .enum(INVITE_EXPIRY, { error: "Expiry must be 1 day, 7 days, 30 days or never" })
  .default("7d");

export const createInviteSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("workspace"),
      role: z
        .enum(INVITE_ROLES, { error: "Role must be admin, moderator, member or guest" })
        .default("member"),
      roomIds: z
        .array(z.uuid({ error: "Not a valid room id" }).toLowerCase(), { error: "roomIds must be a list" })
        .max(20, "At most 20 rooms")
        .default([]),
      expiresIn,
      maxUses,
    }),
    z.strictObject({
      kind: z.literal("room"),
      roomId: z.uuid({ error: "Not a valid room id" }).toLowerCase(),
      expiresIn,
      maxUses,
    }),
  ],
  { error: "kind must be workspace or room" },
);
export type CreateInviteInput = z.input<typeof createInviteSchema>;

export const listInvitesSchema = z.strictObject({
  roomId: z.uuid({ error: "Not a valid room id" }).toLowerCase().optional(),
});

export const inviteIdSchema = z.uuid({ error: "Not a valid invite id" }).toLowerCase();

/** 24 random bytes in base64url are 32 characters; anything else is not one of ours. */
export const inviteTokenSchema = z
  .string({ error: "Invite token is required" })
  .regex(/^[A-Za-z0-9_-]{32,64}$/, "This invite link is not valid");

export type InviteStatus = "active" | "expired" | "used_up" | "revoked";
export type InvalidReason = Exclude<InviteStatus, "active"> | "unknown";

/** One sentence per reason a link does not work: each says what happened. */
export const INVALID_INVITE_MESSAGES: Record<InvalidReason, string> = {
  unknown: "This invite link is not valid. Check that you copied all of it, or ask for a new one.",
  expired: "This invite link has expired. Ask the person who sent it for a new one.",
  used_up: "This invite link has already been used as many times as it allows. Ask for a new one.",
  revoked: "This invite link was revoked. Ask the person who sent it for a new one.",
};

export const INVITE_STATUS_LABELS: Record<InviteStatus, string> = {
  active: "Active",
  expired: "Expired",
  used_up: "Used up",
  revoked: "Revoked",
};

export interface InviteRoom {
  id: string;
  name: string;
  isPrivate: boolean;
}

/** An invite as the admin console and the room-invite dialog list it. */
export interface InviteView {
  id: string;
  token: string;
  kind: "workspace" | "room";
  role: InviteRole;
  rooms: InviteRoom[];
  uses: number;
  maxUses: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
  createdBy: { username: string; displayName: string };
  status: InviteStatus;
}

/** What /invite/<token> shows before anyone signs up or joins. */
export type InvitePreview =
  | {
      valid: true;
      workspaceName: string;
      kind: "workspace" | "room";
      role: InviteRole;
      roleLabel: string;
      rooms: InviteRoom[];
      invitedBy: string;
    }
  | { valid: false; reason: InvalidReason; message: string };

export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}

/** The path of an invite's page (the UI prefixes the origin). */
export const invitePath = (token: string) => `/invite/${token}`;
