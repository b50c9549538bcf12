// Validation for accounts; shared by the sign-up route, the Credentials provider and the forms.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";
import type { Role } from "@/lib/workspace/roles";

export const usernameSchema = z
  .string({ error: "Username is required" })
  .trim()
  .toLowerCase()
  .min(3, "Username must be at least 3 characters")
  .max(32, "Username must be at most 32 characters")
  .regex(/^[a-z0-9_.-]+$/, "Username may only contain letters, digits, _ . and -");

export const displayNameSchema = z
  .string({ error: "Display name is required" })
  .trim()
  .min(1, "Display name is required")
  .max(64, "Display name must be at most 64 characters")
  .refine((s) => !hasControlChars(s), "Display name cannot contain control characters");

export const passwordSchema = z
  .string({ error: "Password is required" })
  .min(8, "Password must be at least 8 characters")
  .max(128, "Password must be at most 128 characters")
  .refine((p) => p.trim().length >= 8, "Password must be at least 8 characters (not counting spaces)")
  .refine((p) => new Set(p).size >= 4, "Password is too weak: use more different characters");

export const signUpSchema = z.strictObject({
  username: usernameSchema,
  displayName: displayNameSchema,
  password: passwordSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export const changePasswordSchema = z.strictObject({
  currentPassword: z
    .string({ error: "Enter your current password" })
    .min(1, "Enter your current password")
    .max(128),
  newPassword: passwordSchema,
});

export const signInSchema = z.object({
  username: z.string().trim().toLowerCase().min(1).max(64),
  password: z.string().min(1).max(128),
});

/**
 * What the app knows about the signed-in user. `role` is read with the session on every page and API
 * request. A socket keeps the role of its handshake: services that depend on a role read it again
 * from the database (lib/workspace/access.ts), so a change applies at once everywhere.
 */
export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
}

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
}
