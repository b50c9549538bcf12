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
});
export type UpdateWorkspaceInput = z.input<typeof updateWorkspaceSchema>;
