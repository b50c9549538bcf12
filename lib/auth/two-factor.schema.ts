// Two-factor (TOTP) input: shared by the routes, the sign-in step and the forms.
import { z } from "zod";

export const TWO_FACTOR_POLICIES = ["off", "admins", "everyone"] as const;
export type TwoFactorPolicy = (typeof TWO_FACTOR_POLICIES)[number];

export const TWO_FACTOR_POLICY_LABELS: Record<TwoFactorPolicy, string> = {
  off: "Off: two-factor is up to each person",
  admins: "For admins: owners and admins must use two-factor",
  everyone: "For everyone: every password account must use two-factor",
};

export const twoFactorPolicySchema = z.strictObject({
  policy: z.enum(TWO_FACTOR_POLICIES, { error: "Choose off, admins or everyone" }),
});

/** A 6-digit authenticator code (spaces allowed, as apps show "123 456"). */
export const totpCodeSchema = z
  .string({ error: "Enter the 6-digit code from your authenticator app" })
  .transform((s) => s.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"));

/** A recovery code as shown ("abcd-efgh"; case, spaces and dashes do not matter). */
export const recoveryCodeSchema = z
  .string({ error: "Enter one of your recovery codes" })
  .transform((s) => s.toLowerCase().replace(/[\s-]/g, ""))
  .pipe(z.string().regex(/^[a-z0-9]{10}$/, "A recovery code has 10 letters and digits"));

export const confirmTwoFactorSchema = z.strictObject({ code: totpCodeSchema });

/** A current code or a recovery code (one of them). */
export const secondFactorSchema = z.union(
  [z.strictObject({ code: totpCodeSchema }), z.strictObject({ recoveryCode: recoveryCodeSchema })],
  { error: "Enter the 6-digit code from your authenticator app, or a recovery code" },
);
export type SecondFactorInput = z.input<typeof secondFactorSchema>;

export interface TwoFactorStatus {
  /** Two-factor applies to password sign-in: false for accounts that only use a provider. */
  available: boolean;
  enabled: boolean;
  /** The workspace policy requires it of this account. */
  required: boolean;
  recoveryCodesLeft: number;
}

export interface TwoFactorSetup {
  /** base32, for typing into an app by hand */
  secret: string;
  /** otpauth:// URI the QR code holds */
  uri: string;
  /** The QR code as an SVG data URL, rendered on the server (no network) */
  qr: string;
}
