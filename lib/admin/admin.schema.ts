// The admin console's inputs (users, rooms, audit log), shared by the routes, the CLI and the forms.
import { z } from "zod";
import { filterTextSchema } from "@/lib/text";
import { ROLES, type Role } from "@/lib/workspace/roles";

export const userIdSchema = z.uuid({ error: "Not a valid user id" }).transform((s) => s.toLowerCase());

export const roleSchema = z.enum(ROLES, {
  error: "Role must be owner, admin, moderator, member or guest",
});

/** PATCH /api/admin/users/:id: exactly one change per request. */
export const updateUserSchema = z
  .strictObject({
    role: roleSchema.optional(),
    deactivated: z.boolean({ error: "deactivated must be true or false" }).optional(),
  })
  .refine((b) => (b.role === undefined) !== (b.deactivated === undefined), {
    error: 'Send either {"role": "…"} or {"deactivated": true|false}',
  });

export const listUsersSchema = z.strictObject({
  q: filterTextSchema.optional(),
  /** Keyset: the last username of the previous page. */
  after: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const listRoomsSchema = z.strictObject({
  q: filterTextSchema.optional(),
  /** Offset paging (rooms are listed by name). */
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const listAuditSchema = z.strictObject({
  /** Keyset: entries with a smaller id than this (the "Older" button). */
  before: z
    .string()
    .regex(/^\d{1,19}$/, "before must be an audit entry id")
    .optional(),
  /** Only actions that start with this, e.g. "user." */
  action: z
    .string()
    .max(64)
    .regex(/^[a-z._-]*$/, "Action filter may only contain a-z . _ -")
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** A user as the admin console shows it. */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  deactivated: boolean;
  createdAt: string;
  /** A bot account (lib/bots): shown with a BOT badge. */
  isBot?: boolean;
}

export interface AdminRoom {
  id: string;
  name: string;
  kind: "channel" | "dm";
  isPrivate: boolean;
  members: number;
  createdAt: string;
  archived: boolean;
}

export interface AuditRow {
  id: string;
  createdAt: string;
  actorName: string;
  action: string;
  targetType: string;
  targetLabel: string;
  detail: Record<string, unknown>;
}
