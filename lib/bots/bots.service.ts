// Bot accounts (issue 18, item 1). A bot is a User with isBot: it has a username, display name,
// picture and owner, is added to rooms like a person, and acts only through API tokens (lib/tokens):
// it has no password and no linked identity, so it can never sign in through the browser (the
// credentials check and the session read refuse bots as well). Admins create bots, and members do
// when the workspace allows it (Workspace.membersCreateBots); guests never. A bot's owner and the
// admins manage it; to everyone else it does not exist here (404). When the owner is deactivated,
// their bots pass to an admin (passBotsOnDeactivation, in the deactivation's transaction) and keep
// working. The callers close sockets (services never see Socket.IO): deactivating a bot closes all
// of its sockets, revoking one token closes that token's.
import { recordAudit } from "@/lib/audit/audit.service";
import { db, isUniqueViolation } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { removeAvatar, setAvatar } from "@/lib/files/avatars.service";
import { avatarUrl } from "@/lib/files/files.schema";
import type { CreatedToken, TokenView } from "@/lib/tokens/tokens.schema";
import { createToken, listTokens, revokeToken } from "@/lib/tokens/tokens.service";
import { currentRole, type RoleOf } from "@/lib/workspace/access";
import { asRole, isAdmin, isGuest } from "@/lib/workspace/roles";
import { type BotView, botIdSchema, createBotSchema, updateBotSchema } from "./bots.schema";

const botSelect = {
  id: true,
  username: true,
  displayName: true,
  botDescription: true,
  role: true,
  avatarKey: true,
  avatarVersion: true,
  deactivatedAt: true,
  createdAt: true,
  botOwnerId: true,
  botOwner: { select: { id: true, username: true, displayName: true } },
} as const satisfies Prisma.UserSelect;

type BotRow = Prisma.UserGetPayload<{ select: typeof botSelect }>;

function toView(b: BotRow): BotView {
  return {
    id: b.id,
    username: b.username,
    displayName: b.displayName,
    description: b.botDescription,
    avatarUrl: b.avatarKey ? avatarUrl(b.id, b.avatarVersion) : null,
    owner: b.botOwner,
    role: asRole(b.role),
    deactivated: b.deactivatedAt !== null,
    createdAt: b.createdAt.toISOString(),
  };
}

export const BOT_CREATION_REFUSED = {
  guest: "Guests cannot create bots",
  members: "Only admins can create bots in this workspace",
} as const;

/** Why `actor` may not create bots (null: they may). Reads the role and the workspace setting now. */
export async function botCreationRefusal(actor: Pick<RoleOf, "role">): Promise<string | null> {
  if (isAdmin(actor.role)) return null;
  if (isGuest(actor.role)) return BOT_CREATION_REFUSED.guest;
  const ws = await db().workspace.findUnique({ where: { id: 1 }, select: { membersCreateBots: true } });
  return ws?.membersCreateBots ? null : BOT_CREATION_REFUSED.members;
}

/** For the Bots page: whether the actor may create bots, and whether they see every bot (admins). */
export async function botPermissions(actor: {
  id: string;
}): Promise<{ canCreate: boolean; isAdmin: boolean }> {
  const me = await currentRole(actor.id);
  return { canCreate: (await botCreationRefusal(me)) === null, isAdmin: isAdmin(me.role) };
}

/** The bots the actor manages: their own, or every bot for admins (deactivated ones included). */
export async function listBots(actor: { id: string }): Promise<BotView[]> {
  const me = await currentRole(actor.id);
  const rows = await db().user.findMany({
    where: { isBot: true, ...NOT_A_HOOK_BOT, ...(isAdmin(me.role) ? {} : { botOwnerId: me.id }) },
    select: botSelect,
    orderBy: { username: "asc" },
    take: 500,
  });
  return rows.map(toView);
}

const taken = () =>
  new AppError("conflict", "That username is taken", { fields: { username: ["That username is taken"] } });

/** Create a bot owned by the actor (admins; members when the workspace allows it). */
export async function createBot(actor: { id: string }, input: unknown): Promise<BotView> {
  const me = await currentRole(actor.id);
  const refusal = await botCreationRefusal(me);
  if (refusal) throw new AppError("forbidden", refusal);
  const data = parseOrThrow(createBotSchema, input);
  // A current username or a former one (old @mentions still name its owner), as for sign-up.
  const [user, alias] = await Promise.all([
    db().user.findUnique({ where: { username: data.username }, select: { id: true } }),
    db().usernameAlias.findUnique({ where: { username: data.username }, select: { userId: true } }),
  ]);
  if (user || alias) throw taken();
  try {
    return await db().$transaction(async (tx) => {
      const bot = await tx.user.create({
        data: {
          username: data.username,
          displayName: data.displayName,
          botDescription: data.description ?? "",
          // No password and no linked identity: nothing can sign in as it through the browser.
          passwordHash: null,
          isBot: true,
          role: "member",
          botOwnerId: me.id,
        },
        select: botSelect,
      });
      await recordAudit(
        {
          actor: me,
          action: "bot.create",
          targetType: "user",
          targetId: bot.id,
          targetLabel: `@${bot.username}`,
        },
        tx,
      );
      return toView(bot);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}

/** Bots made for webhooks are managed through their hook (Integrations), never as bots. */
const NOT_A_HOOK_BOT = { incomingHookBots: { none: {} }, outgoingHookBots: { none: {} } } as const;

/** A bot the actor may manage (its owner, or an admin), or 404: to anyone else it is not here. */
async function manageable(actor: { id: string }, idInput: unknown): Promise<{ me: RoleOf; bot: BotRow }> {
  const me = await currentRole(actor.id);
  const id = parseOrThrow(botIdSchema, idInput);
  // A webhook's bot is the hook's (lib/webhooks): it has no tokens, name or picture of its own to
  // manage here, or a hook's creator could mint a token for it and read or post with it beyond the hook.
  const bot = await db().user.findFirst({ where: { id, isBot: true, ...NOT_A_HOOK_BOT }, select: botSelect });
  if (!bot || (bot.botOwnerId !== me.id && !isAdmin(me.role)))
    throw new AppError("not_found", "There is no such bot");
  return { me, bot };
}

function requireActive(bot: BotRow): void {
  if (bot.deactivatedAt)
    throw new AppError("conflict", `@${bot.username} is deactivated: an admin can reactivate it first`);
}

export async function getBot(actor: { id: string }, id: unknown): Promise<BotView> {
  return toView((await manageable(actor, id)).bot);
}

/** Change a bot's display name or description. */
export async function updateBot(actor: { id: string }, id: unknown, input: unknown): Promise<BotView> {
  const { me, bot } = await manageable(actor, id);
  const data = parseOrThrow(updateBotSchema, input);
  return db().$transaction(async (tx) => {
    const row = await tx.user.update({
      where: { id: bot.id },
      data: {
        ...(data.displayName !== undefined ? { displayName: data.displayName } : {}),
        ...(data.description !== undefined ? { botDescription: data.description } : {}),
      },
      select: botSelect,
    });
    await recordAudit(
      {
        actor: me,
        action: "bot.update",
        targetType: "user",
        targetId: bot.id,
        targetLabel: `@${bot.username}`,
        detail: { ...data },
      },
      tx,
    );
    return toView(row);
  });
}

/**
 * Deactivate a bot: its tokens are revoked and refused at once (the token lookup also refuses a
 * deactivated user). The caller closes its sockets (registry.ts endUserSockets). Its messages stay.
 * An admin can reactivate it from the console (it then needs new tokens).
 */
export async function deactivateBot(actor: { id: string }, id: unknown): Promise<BotView> {
  const { me, bot } = await manageable(actor, id);
  if (bot.deactivatedAt) return toView(bot);
  return db().$transaction(async (tx) => {
    const row = await tx.user.update({
      where: { id: bot.id },
      data: { deactivatedAt: new Date(), sessionVersion: { increment: 1 } },
      select: botSelect,
    });
    const { count } = await tx.apiToken.updateMany({
      where: { userId: bot.id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(
      {
        actor: me,
        action: "bot.deactivate",
        targetType: "user",
        targetId: bot.id,
        targetLabel: `@${bot.username}`,
        detail: { tokensRevoked: count },
      },
      tx,
    );
    return toView(row);
  });
}

/** Set a bot's picture (the avatars service, for the bot's account). */
export async function setBotAvatar(
  actor: { id: string },
  id: unknown,
  body: NodeJS.ReadableStream,
): Promise<{ avatarUrl: string }> {
  const { bot } = await manageable(actor, id);
  requireActive(bot);
  return setAvatar({ id: bot.id }, body);
}

/** Check before reading an upload: the actor may manage this bot and it is active. */
export async function requireManageableBot(actor: { id: string }, id: unknown): Promise<{ id: string }> {
  const { bot } = await manageable(actor, id);
  requireActive(bot);
  return { id: bot.id };
}

export async function listBotTokens(actor: { id: string }, id: unknown): Promise<TokenView[]> {
  const { bot } = await manageable(actor, id);
  return listTokens(bot.id);
}

/** A token for a bot (shown once). Audited: it lets a script act as the bot. */
export async function createBotToken(
  actor: { id: string },
  id: unknown,
  input: unknown,
): Promise<CreatedToken> {
  const { me, bot } = await manageable(actor, id);
  requireActive(bot);
  const token = await createToken(me, input, bot.id);
  await recordAudit({
    actor: me,
    action: "bot.token_create",
    targetType: "user",
    targetId: bot.id,
    targetLabel: `@${bot.username}`,
    detail: { token: token.name, prefix: token.prefix, scopes: token.scopes },
  });
  return token;
}

/** Revoke one of a bot's tokens. The caller closes that token's sockets (endSessionSockets(tokenSid(id))). */
export async function revokeBotToken(
  actor: { id: string },
  id: unknown,
  tokenId: unknown,
): Promise<{ id: string }> {
  const { me, bot } = await manageable(actor, id);
  const out = await revokeToken(bot.id, tokenId);
  await recordAudit({
    actor: me,
    action: "bot.token_revoke",
    targetType: "user",
    targetId: bot.id,
    targetLabel: `@${bot.username}`,
    detail: { tokenId: out.id },
  });
  return out;
}

/**
 * In a deactivation's transaction: the deactivated user's bots pass to `to` (the acting admin), or,
 * from the command line, to the workspace's oldest active owner. Each change is audited. Returns the
 * bots that changed hands; they keep working (their tokens act as the bot, not as its owner).
 */
export async function passBotsOnDeactivation(
  tx: Prisma.TransactionClient,
  from: { id: string; username: string },
  to: { id: string; username: string } | null,
  actor: { id: string; username: string } | null,
): Promise<{ id: string; username: string }[]> {
  let heir = to;
  if (!heir) {
    const [oldest] = await tx.$queryRaw<{ id: string; username: string }[]>`
      SELECT id::text, username FROM "User"
      WHERE role = 'owner' AND "deactivatedAt" IS NULL AND NOT "isBot" AND id <> ${from.id}::uuid
      ORDER BY "createdAt" ASC, id ASC LIMIT 1`;
    heir = oldest ?? null;
  }
  if (!heir) return [];
  const bots = await tx.$queryRaw<{ id: string; username: string }[]>`
    UPDATE "User" SET "botOwnerId" = ${heir.id}::uuid
    WHERE "botOwnerId" = ${from.id}::uuid AND "isBot"
    RETURNING id::text, username`;
  for (const b of bots)
    await recordAudit(
      {
        actor,
        action: "bot.owner",
        targetType: "user",
        targetId: b.id,
        targetLabel: `@${b.username}`,
        detail: { from: `@${from.username}`, to: `@${heir.username}`, reason: "owner deactivated" },
      },
      tx,
    );
  return bots;
}

/** Remove a bot's picture (initials are shown again). */
export async function removeBotAvatar(actor: { id: string }, id: unknown): Promise<void> {
  const { bot } = await manageable(actor, id);
  await removeAvatar({ id: bot.id });
}
