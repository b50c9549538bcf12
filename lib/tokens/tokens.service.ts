// Personal access tokens (issue 18, item 2) for users and bots. A token is `bcn_` + 32 random bytes
// (base64url); only its SHA-256 is stored, so the database never holds a usable token. A token acts
// as its user with the scopes it was given: `read` (GET), `write` (everything else a member does),
// `admin` (the admin console's routes, and only while the user is still an admin). Revoking one
// takes effect at once: the lookup below runs on every request and handshake (one indexed read),
// and the caller closes its sockets (registry.ts endSessionSockets with tokenSid(id)).
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { db, prepared } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { SessionUser } from "@/lib/users/users.schema";
import { isRole } from "@/lib/workspace/roles";
import {
  type CreatedToken,
  createTokenSchema,
  TOKEN_PREFIX,
  TOKEN_SCOPES,
  type TokenScope,
  type TokenView,
} from "./tokens.schema";

const log = logger.child({ module: "tokens" });

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * The rate-limit key of a presented token (requests and handshakes alike), spent before any lookup:
 * per token, like a browser session's `uid:sid`.
 */
export const tokenLimitKey = (token: string) => `tok:${hashToken(token).slice(0, 24)}`;

/** The session id a token's sockets use: its session channel is how a revoke finds them. */
export const tokenSid = (tokenId: string) => `tok_${tokenId}`;

/** Whether a string looks like one of our tokens (cheap check before any lookup). */
export function looksLikeToken(s: string | undefined | null): s is string {
  return !!s && s.startsWith(TOKEN_PREFIX) && s.length >= 40 && s.length <= 64 && /^[\w-]+$/.test(s);
}

/** The bearer token of an Authorization header (anything after "Bearer "; authenticateToken judges it). */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return m?.[1] ?? null;
}

type TokenRow = {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string;
};

/** The stored scopes Beacon knows (a row is data: anything else is ignored). */
const knownScopes = (scopes: string[]): TokenScope[] =>
  scopes.filter((s): s is TokenScope => (TOKEN_SCOPES as readonly string[]).includes(s));

function view(t: TokenRow): TokenView {
  return {
    id: t.id,
    userId: t.userId,
    name: t.name,
    prefix: t.prefix,
    scopes: knownScopes(t.scopes),
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: t.lastUsedIp,
  };
}

const SELECT = {
  id: true,
  userId: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
} as const;

/** Live (unrevoked, unexpired) tokens one account may hold. */
export const MAX_TOKENS_PER_USER = 50;

/**
 * Mint a token for `userId` (the actor's own account, or a bot the caller has already checked the
 * actor may manage). `admin` scope only for a user who is an admin now (it is re-checked on use).
 */
export async function createToken(
  actor: { id: string },
  input: unknown,
  userId: string = actor.id,
): Promise<CreatedToken> {
  const data = parseOrThrow(createTokenSchema, input);
  const owner = await db().user.findUnique({
    where: { id: userId },
    select: { role: true, deactivatedAt: true, isBot: true },
  });
  if (!owner) throw new AppError("not_found", "No such user");
  if (owner.deactivatedAt)
    throw new AppError("conflict", "This account is deactivated: it cannot have new tokens");
  if (data.scopes.includes("admin") && owner.role !== "owner" && owner.role !== "admin") {
    const message = owner.isBot
      ? 'Only a bot with the admin role can have a token with the "admin" scope'
      : 'Only admins can create a token with the "admin" scope';
    throw new AppError("forbidden", message, { fields: { scopes: [message] } });
  }
  const live = await db().apiToken.count({
    where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
  });
  if (live >= MAX_TOKENS_PER_USER)
    throw new AppError("conflict", `At most ${MAX_TOKENS_PER_USER} tokens at a time: revoke one first`);
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const row = await db().apiToken.create({
    data: {
      userId,
      createdById: actor.id,
      name: data.name,
      tokenHash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      scopes: data.scopes,
      expiresAt: data.expiresInDays ? new Date(Date.now() + data.expiresInDays * 86_400_000) : null,
    },
    select: SELECT,
  });
  return { ...view(row), token };
}

/** The live tokens of a user (or bot), newest first. */
export async function listTokens(userId: string): Promise<TokenView[]> {
  const rows = await db().apiToken.findMany({
    where: { userId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    orderBy: { createdAt: "desc" },
    select: SELECT,
  });
  return rows.map(view);
}

/**
 * Revoke one of `userId`'s tokens (the caller checked the actor may manage that user's tokens).
 * 404 when it is not theirs or already revoked. The caller then closes its sockets.
 */
export async function revokeToken(userId: string, tokenId: unknown): Promise<{ id: string }> {
  const id = parseOrThrow(z.uuid({ message: "Not a token id" }), tokenId);
  const { count } = await db().apiToken.updateMany({
    where: { id, userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new AppError("not_found", "No such token");
  return { id };
}

/** Who a token acts as, with its scopes (and its id, for sockets and rate limits). */
export interface TokenAuth {
  user: SessionUser & { isBot: boolean };
  tokenId: string;
  scopes: TokenScope[];
}

/** Who a live token acts as (unknown, revoked, expired or a deactivated user: no row); `extra` adds columns. */
const tokenUserSql = (extra = "") => `SELECT t.id::text AS "tokenId", t.scopes, t."lastUsedAt",
         u.id::text, u.username, u."displayName", u.role, u."isBot"${extra}
  FROM "ApiToken" t JOIN "User" u ON u.id = t."userId"
  WHERE t."tokenHash" = $1 AND t."revokedAt" IS NULL
    AND (t."expiresAt" IS NULL OR t."expiresAt" > CURRENT_TIMESTAMP)
    AND u."deactivatedAt" IS NULL`;
const TOKEN_USER = tokenUserSql();
/** The same with the ids of the user's rooms (a socket handshake joins them all). */
const TOKEN_USER_ROOMS = tokenUserSql(
  `,\n         ARRAY(SELECT "roomId"::text FROM "Membership" WHERE "userId" = u.id) AS "roomIds"`,
);

type AuthRow = {
  tokenId: string;
  scopes: string[];
  lastUsedAt: Date | null;
  id: string;
  username: string;
  displayName: string;
  role: string;
  isBot: boolean;
};

const TOUCH = `UPDATE "ApiToken" SET "lastUsedAt" = CURRENT_TIMESTAMP, "lastUsedIp" = $2
  WHERE id = $1::uuid AND ("lastUsedAt" IS NULL OR "lastUsedAt" < CURRENT_TIMESTAMP - interval '1 minute')`;

function toAuth(row: AuthRow | undefined, ip: string): TokenAuth | null {
  if (!row || !isRole(row.role)) return null;
  // Last used: at most once a minute, never awaited.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
    prepared("beacon_token_touch", TOUCH, [row.tokenId, ip.slice(0, 64)]).catch((err: unknown) =>
      log.warn({ err }, "could not record a token's last use"),
    );
  return {
    user: {
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role,
      isBot: row.isBot,
    },
    tokenId: row.tokenId,
    scopes: knownScopes(row.scopes),
  };
}

/** The user a token acts as, or null (unknown, revoked, expired, or its user deactivated). */
export async function authenticateToken(token: string, ip = ""): Promise<TokenAuth | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await prepared<AuthRow>("beacon_token_user", TOKEN_USER, [hashToken(token)]);
  return toAuth(row, ip);
}

/** The same for a socket handshake, with the ids of the user's rooms (one read). */
export async function authenticateTokenWithRooms(
  token: string,
  ip = "",
): Promise<(TokenAuth & { roomIds: string[] }) | null> {
  if (!looksLikeToken(token)) return null;
  const [row] = await prepared<AuthRow & { roomIds: string[] }>("beacon_token_user_rooms", TOKEN_USER_ROOMS, [
    hashToken(token),
  ]);
  const auth = toAuth(row, ip);
  return auth && row ? { ...auth, roomIds: row.roomIds } : null;
}

/** 403 unless the token carries `scope` (admin scope implies nothing else; each is granted on its own). */
export function requireScope(auth: Pick<TokenAuth, "scopes">, scope: TokenScope): void {
  if (!auth.scopes.includes(scope))
    throw new AppError("forbidden", `This token does not have the "${scope}" scope`);
}
