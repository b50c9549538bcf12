// Profiles (issue 17, item 6): change display name, username, time zone and status. A username
// change keeps the old handle as an alias (UsernameAlias): @old in messages written before still
// resolves to the person, lookups by the old handle find them, and nobody else can take it.
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { isLocale } from "@/lib/i18n/locales";
import { logger } from "@/lib/logger";
import { roomMatesOf } from "@/lib/rooms/rooms.service";
import { currentRole } from "@/lib/workspace/access";
import { isGuest } from "@/lib/workspace/roles";
import {
  type LocalePreference,
  localePreferenceSchema,
  type Profile,
  type UserCardView,
  updateProfileSchema,
} from "./profile.schema";
import { usernameSchema } from "./users.schema";

const log = logger.child({ module: "profile" });

const profileFields = {
  id: true,
  username: true,
  displayName: true,
  timeZone: true,
  statusText: true,
  statusEmoji: true,
} as const;

const taken = () =>
  new AppError("conflict", "That username is taken", { fields: { username: ["That username is taken"] } });

export async function getProfile(actor: { id: string }): Promise<Profile> {
  return db().user.findUniqueOrThrow({ where: { id: actor.id }, select: profileFields });
}

/** Is `username` free for `userId` (nobody else's current name or former name)? */
async function usernameFree(username: string, userId: string | null): Promise<boolean> {
  const [user, alias] = await Promise.all([
    db().user.findUnique({ where: { username }, select: { id: true } }),
    db().usernameAlias.findUnique({ where: { username }, select: { userId: true } }),
  ]);
  return (!user || user.id === userId) && (!alias || alias.userId === userId);
}

/** For sign-up: a name nobody has or had. */
export async function usernameAvailable(username: string): Promise<boolean> {
  return usernameFree(username, null);
}

export async function updateProfile(actor: { id: string }, input: unknown): Promise<Profile> {
  const data = parseOrThrow(updateProfileSchema, input);
  const { username, ...rest } = data;
  const current = await db().user.findUniqueOrThrow({ where: { id: actor.id }, select: { username: true } });
  if (username === undefined || username === current.username) {
    return db().user.update({ where: { id: actor.id }, data: rest, select: profileFields });
  }
  if (!(await usernameFree(username, actor.id))) throw taken();
  try {
    const updated = await db().$transaction(async (tx) => {
      // Taking back a former name of my own: it is my name again, not an alias.
      await tx.usernameAlias.deleteMany({ where: { username, userId: actor.id } });
      await tx.usernameAlias.create({ data: { username: current.username, userId: actor.id } });
      return tx.user.update({ where: { id: actor.id }, data: { ...rest, username }, select: profileFields });
    });
    log.info({ uid: actor.id }, "username changed");
    return updated;
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}

/**
 * The interface language saved on the account ("" = the browser's). Not part of the profile: it is
 * nobody else's business, so it stays off hover cards and the API's user views.
 */
export async function getLocalePreference(actor: { id: string }): Promise<LocalePreference> {
  const row = await db().user.findUnique({ where: { id: actor.id }, select: { locale: true } });
  return isLocale(row?.locale) ? row.locale : "";
}

export async function setLocalePreference(actor: { id: string }, input: unknown): Promise<LocalePreference> {
  const { locale } = parseOrThrow(localePreferenceSchema, input);
  await db().user.update({ where: { id: actor.id }, data: { locale } });
  return locale;
}

/** The user a handle names now: their current username, else a former one. */
export async function userIdByHandle(handle: string): Promise<string | null> {
  const parsed = usernameSchema.safeParse(handle);
  if (!parsed.success) return null;
  const user = await db().user.findUnique({ where: { username: parsed.data }, select: { id: true } });
  if (user) return user.id;
  const alias = await db().usernameAlias.findUnique({
    where: { username: parsed.data },
    select: { userId: true },
  });
  return alias?.userId ?? null;
}

/** My former usernames (for highlighting @old mentions of me). */
export async function formerUsernames(userId: string): Promise<string[]> {
  const rows = await db().usernameAlias.findMany({ where: { userId }, select: { username: true } });
  return rows.map((r) => r.username);
}

/** A person's card (hover card in the timeline), by current or former handle; `not_found` otherwise. */
export async function getUserCard(actor: { id: string }, handle: unknown): Promise<UserCardView> {
  const id = typeof handle === "string" ? await userIdByHandle(handle) : null;
  // Guests see only people who share a room with them (the role is read fresh).
  if (id && id !== actor.id && isGuest((await currentRole(actor.id)).role)) {
    if ((await roomMatesOf(actor.id, [id])).length === 0) throw new AppError("not_found", "No such person");
  }
  const user = id
    ? await db().user.findUnique({
        where: { id, deactivatedAt: null },
        select: {
          ...profileFields,
          isBot: true,
          botDescription: true,
          botOwner: { select: { username: true, displayName: true } },
        },
      })
    : null;
  if (!user) throw new AppError("not_found", "No such person");
  const { isBot, botDescription, botOwner, ...card } = user;
  // A bot's card says so, what it does and who looks after it.
  return isBot ? { ...card, bot: { description: botDescription, owner: botOwner } } : card;
}
