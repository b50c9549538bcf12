// Personal access tokens (issue 18, item 2): the wire shapes, shared with the Settings page.
import { z } from "zod";

export const TOKEN_SCOPES = ["read", "write", "admin"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Every token starts with this, so a leaked one is recognisable (secret scanners, logs). */
export const TOKEN_PREFIX = "bcn_";

export const createTokenSchema = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(64, "At most 64 characters"),
  scopes: z
    .array(z.enum(TOKEN_SCOPES))
    .min(1, "Choose at least one scope")
    .transform((s) => [...new Set(s)]),
  /** Days until it expires; omitted or null: never. */
  expiresInDays: z.number().int().min(1, "At least 1 day").max(3650, "At most 10 years").nullish(),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

/** A token as listed (never the token itself). */
export interface TokenView {
  id: string;
  userId: string;
  name: string;
  /** The token's first characters, to recognise it. */
  prefix: string;
  scopes: TokenScope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string;
}

/** The answer to creating a token: the only time the token itself is shown. */
export interface CreatedToken extends TokenView {
  token: string;
}
