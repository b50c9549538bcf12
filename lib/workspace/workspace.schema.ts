// Workspace settings: validation shared by the admin console form and the service.
import { z } from "zod";
import { hasControlChars } from "@/lib/text";

export const REGISTRATION_POLICIES = ["open", "invite", "closed"] as const;
export type RegistrationPolicy = (typeof REGISTRATION_POLICIES)[number];

export const REGISTRATION_LABELS: Record<RegistrationPolicy, string> = {
  open: "Open: anyone who reaches this server can sign up",
  invite: "Invite only: sign-up needs an invite link",
  closed: "Closed: nobody can sign up",
};

export interface WorkspaceSettings {
  name: string;
  logoText: string;
  registration: RegistrationPolicy;
  defaultRoomIds: string[];
  /** Largest upload in MiB; null: MAX_UPLOAD_MB (which stays the ceiling either way) */
  maxUploadMb: number | null;
  /** MiB of files each user may keep; null: unlimited */
  userQuotaMb: number | null;
  /** Whether members (not only admins) may create bots (lib/bots); guests never can */
  membersCreateBots: boolean;
}

const plainText = (label: string, max: number) =>
  z
    .string({ error: `${label} must be text` })
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .refine((s) => !hasControlChars(s), `${label} cannot contain control characters`);

export const updateWorkspaceSchema = z.strictObject({
  name: plainText("Workspace name", 64).pipe(z.string().min(1, "Workspace name is required")).optional(),
  logoText: plainText("Logo text", 4).optional(),
  registration: z
    .enum(REGISTRATION_POLICIES, { error: "Registration must be open, invite or closed" })
    .optional(),
  defaultRoomIds: z
    .array(z.uuid({ error: "Not a valid room id" }))
    .max(20, "At most 20 default rooms")
    .optional(),
  maxUploadMb: z
    .number({ error: "Upload limit must be a number of MB" })
    .int("Upload limit must be a whole number of MB")
    .min(1, "Upload limit must be at least 1 MB")
    .max(100_000, "Upload limit is too large")
    .nullable()
    .optional(),
  userQuotaMb: z
    .number({ error: "Quota must be a number of MB" })
    .int("Quota must be a whole number of MB")
    .min(1, "Quota must be at least 1 MB")
    .max(100_000_000, "Quota is too large")
    .nullable()
    .optional(),
  membersCreateBots: z.boolean({ error: "Members may create bots must be true or false" }).optional(),
});
export type UpdateWorkspaceInput = z.input<typeof updateWorkspaceSchema>;
