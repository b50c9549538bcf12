// Slash commands (issue 18, item 6). Built-ins run through the services that already own each
// action, with their rules: /me sends an action message (messages.service), /topic changes the
// room's settings (moderation.service: moderators only), /invite adds a member (rooms.service
// addMember: the owner, bans, DMs), /leave leaves, /mute toggles mute. Custom commands belong to a
// bot: running one POSTs a signed JSON (Standard Webhooks, lib/webhooks) to its URL through the
// SSRF guard, and the answer is posted as the bot or returned to the caller alone ("ephemeral").
// The service never touches sockets: it returns the live effects (broadcasts) for the transport.
import { createHash, randomUUID } from "node:crypto";
import { recordAudit } from "@/lib/audit/audit.service";
import { open, seal } from "@/lib/auth/secret-box";
import { db, isUniqueViolation } from "@/lib/db/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { authorSelect, sendMessage, toAuthor } from "@/lib/messages/messages.service";
import type { RoomSettings } from "@/lib/rooms/moderation.schema";
import { updateRoomSettings } from "@/lib/rooms/moderation.service";
import {
  addMember,
  getRoomForViewer,
  leaveRoom,
  requireMembership,
  setMuted,
} from "@/lib/rooms/rooms.service";
import type { SharedState } from "@/lib/state/shared-state";
import type { SessionUser } from "@/lib/users/users.schema";
import { checkOutboundUrl, OutboundError, safeFetch } from "@/lib/webhooks/safe-fetch";
import { newWebhookSecret, webhookHeaders } from "@/lib/webhooks/signature";
import { requireRole } from "@/lib/workspace/access";
import { asRole } from "@/lib/workspace/roles";
import {
  BUILTIN_COMMANDS,
  type CommandInfo,
  type CommandOutcome,
  type CreatedSlashCommand,
  commandReplySchema,
  createCommandSchema,
  listCommandsSchema,
  parseComposerText,
  runCommandSchema,
  type SlashCommandView,
} from "./commands.schema";

const log = logger.child({ module: "commands" });

type Actor = Pick<SessionUser, "id" | "username" | "displayName">;

/** How long a custom command's URL has to answer. */
export const COMMAND_TIMEOUT_MS = 5_000;

/** What the transport broadcasts after the ack (the service never sees a socket). */
export interface CommandEffects {
  /** Stored by the command: every socket of the room gets message:new (registry messageToRoom). */
  newMessage?: ChatMessage;
  /** The room's settings changed: room:updated to its channel. */
  roomUpdate?: RoomSettings;
  /** Someone was added: their sockets join the room's channel, their tabs get room:added. */
  granted?: { userId: string; roomId: string };
  /** The caller left: their sockets leave the channel, their tabs get room:removed. */
  revoked?: { userId: string; roomId: string };
  /** The caller's mute changed: their tabs get room:muted. */
  muted?: { roomId: string; muted: boolean };
}

export interface CommandRun {
  outcome: CommandOutcome;
  effects: CommandEffects;
}

const unknownCommand = (name: string) =>
  new AppError(
    "not_found",
    name
      ? `Unknown command /${name} — type / to see the list`
      : "Type a command after / (type / to see the list)",
  );

/** A UUID derived from (caller, clientId, purpose): a retried command reuses its answer's clientId. */
function derivedUuid(...parts: string[]): string {
  const h = createHash("sha256").update(parts.join("\u0000")).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The commands one may run in a room: the built-ins, and the custom ones whose bot is a member. */
export async function listCommands(actor: Actor, input: unknown): Promise<CommandInfo[]> {
  const { roomId } = parseOrThrow(listCommandsSchema, input);
  const room = await getRoomForViewer(actor, roomId);
  const custom = await db().slashCommand.findMany({
    where: { bot: { deactivatedAt: null, memberships: { some: { roomId: room.id } } } },
    orderBy: { name: "asc" },
    select: { name: true, usageHint: true, description: true, bot: { select: { username: true } } },
  });
  return [
    ...BUILTIN_COMMANDS,
    ...custom.map((c) => ({
      name: c.name,
      usage: `/${c.name}${c.usageHint ? ` ${c.usageHint}` : ""}`,
      description: c.description || `Answered by @${c.bot.username}`,
      bot: c.bot.username,
    })),
  ];
}

/** Run what the caller typed ("/topic Release day") in a room. */
export async function runCommand(
  actor: SessionUser,
  input: unknown,
  opts: { state?: SharedState } = {},
): Promise<CommandRun> {
  const { roomId, text, clientId } = parseOrThrow(runCommandSchema, input);
  const parsed = parseComposerText(text.trim());
  if (parsed.type !== "command")
    throw new AppError("validation", "That is a message, not a command: send it with message:send");
  const { name, args } = parsed;
  switch (name) {
    case "me": {
      if (!args) throw new AppError("validation", "Say what you are doing: /me waves");
      const { message, created } = await sendMessage(
        actor,
        { roomId, clientId, body: args },
        { state: opts.state, kind: "action" },
      );
      // A retry gets the stored message and is not broadcast again (as for message:send).
      return {
        outcome: { command: name, notice: "Sent", message },
        effects: created ? { newMessage: message } : {},
      };
    }
    case "topic": {
      if (!args) throw new AppError("validation", "Type the new topic: /topic <text>");
      const settings = await updateRoomSettings(actor, roomId, { topic: args });
      return {
        outcome: { command: name, notice: `Topic set to “${settings.topic}”` },
        effects: { roomUpdate: settings },
      };
    }
    case "invite": {
      const username = args.replace(/^@/, "").trim();
      if (!username || /\s/.test(username))
        throw new AppError("validation", "Name one person: /invite @username");
      const member = await addMember(actor, roomId, { username });
      return {
        outcome: { command: name, notice: `@${member.username} was added to the room` },
        effects: { granted: { userId: member.id, roomId: member.roomId } },
      };
    }
    case "leave": {
      const room = await leaveRoom(actor, roomId);
      return {
        outcome: { command: name, notice: `You left #${room.name}` },
        effects: { revoked: { userId: actor.id, roomId: room.id } },
      };
    }
    case "mute": {
      const room = await getRoomForViewer(actor, roomId);
      const m = await db().membership.findUnique({
        where: { roomId_userId: { roomId: room.id, userId: actor.id } },
        select: { muted: true },
      });
      if (!m) throw new AppError("forbidden", "Only members can mute a room");
      const muted = await setMuted(actor, { roomId: room.id, muted: !m.muted });
      return {
        outcome: { command: name, notice: muted.muted ? "Room muted" : "Room unmuted" },
        effects: { muted },
      };
    }
    default:
      return runCustom(actor, name, args, roomId, clientId, opts);
  }
}

async function runCustom(
  actor: SessionUser,
  name: string,
  args: string,
  roomId: string,
  clientId: string,
  opts: { state?: SharedState },
): Promise<CommandRun> {
  if (!name) throw unknownCommand(name);
  const room = await getRoomForViewer(actor, roomId);
  const cmd = await db().slashCommand.findUnique({
    where: { name },
    select: {
      id: true,
      url: true,
      secretSealed: true,
      bot: {
        select: {
          ...authorSelect,
          role: true,
          memberships: { where: { roomId: room.id }, select: { roomId: true } },
        },
      },
    },
  });
  // Only where its bot can answer: a command whose bot is not in the room is not offered there.
  if (!cmd || cmd.bot.deactivatedAt || cmd.bot.memberships.length === 0) throw unknownCommand(name);
  await requireMembership(actor, room.id);
  const body = JSON.stringify({
    type: "command",
    command: `/${name}`,
    name,
    text: args,
    room: { id: room.id, name: room.name },
    user: { id: actor.id, username: actor.username, displayName: actor.displayName },
    /** The same on a retry of this command (also the webhook-id header): answer it once. */
    triggerId: clientId,
    timestamp: new Date().toISOString(),
  });
  const secret = open(cmd.secretSealed, `slash-command:${cmd.id}`);
  let res: Awaited<ReturnType<typeof safeFetch>>;
  let deadline: NodeJS.Timeout | undefined;
  try {
    // safeFetch's timeout is the socket's idle time; the command also has a total deadline.
    res = await Promise.race([
      safeFetch(cmd.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...webhookHeaders(secret, clientId, body) },
        body,
        timeoutMs: COMMAND_TIMEOUT_MS,
        maxBytes: 64 * 1024,
      }),
      new Promise<never>((_, reject) => {
        deadline = setTimeout(
          () => reject(new OutboundError("no answer in time", "timeout")),
          COMMAND_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    if (err instanceof OutboundError && err.code === "timeout")
      throw new AppError(
        "unavailable",
        `/${name} did not answer within ${COMMAND_TIMEOUT_MS / 1000} seconds`,
      );
    log.warn({ err, command: name }, "custom command request failed");
    throw new AppError("unavailable", `/${name} could not be reached: try again later or tell an admin`);
  } finally {
    clearTimeout(deadline);
  }
  if (res.status < 200 || res.status > 299)
    throw new AppError("unavailable", `/${name} failed (its bot answered HTTP ${res.status})`);
  const author = toAuthor(cmd.bot);
  if (res.status === 204 || !res.body.trim())
    return { outcome: { command: name, notice: `/${name} ran` }, effects: {} };
  let json: unknown;
  try {
    json = JSON.parse(res.body);
  } catch {
    throw new AppError("unavailable", `/${name} answered with something that is not JSON`);
  }
  const reply = commandReplySchema.safeParse(json);
  if (!reply.success)
    throw new AppError(
      "unavailable",
      `/${name} answered in a shape Beacon does not understand (${reply.error.issues[0]?.message})`,
    );
  const { text, visibility } = reply.data;
  if (!text.trim()) return { outcome: { command: name, notice: `/${name} ran` }, effects: {} };
  if (visibility === "ephemeral")
    return {
      outcome: { command: name, notice: `/${name} answered`, ephemeral: { text, author } },
      effects: {},
    };
  const bot: SessionUser = {
    id: cmd.bot.id,
    username: cmd.bot.username,
    displayName: cmd.bot.displayName,
    role: asRole(cmd.bot.role),
  };
  try {
    const { message, created } = await sendMessage(
      bot,
      { roomId: room.id, clientId: derivedUuid(actor.id, clientId, "answer"), body: text },
      opts,
    );
    return {
      outcome: { command: name, notice: `/${name} answered`, message },
      effects: created ? { newMessage: message } : {},
    };
  } catch (err) {
    if (err instanceof AppError && err.code !== "internal")
      throw new AppError(err.code, `/${name}'s answer could not be posted: ${err.message}`);
    throw err;
  }
}

// The admin console: custom commands (admins only; 404 for everyone else).

const viewSelect = {
  id: true,
  name: true,
  url: true,
  description: true,
  usageHint: true,
  createdAt: true,
  bot: { select: { id: true, username: true, displayName: true } },
} as const;

function toView(r: {
  id: string;
  name: string;
  url: string;
  description: string;
  usageHint: string;
  createdAt: Date;
  bot: { id: string; username: string; displayName: string };
}): SlashCommandView {
  return { ...r, createdAt: r.createdAt.toISOString() };
}

export async function listSlashCommands(actor: Pick<SessionUser, "id">): Promise<SlashCommandView[]> {
  await requireRole(actor.id, "admin", { hide: true });
  const rows = await db().slashCommand.findMany({ orderBy: { name: "asc" }, select: viewSelect });
  return rows.map(toView);
}

export async function createSlashCommand(
  actor: Pick<SessionUser, "id">,
  input: unknown,
): Promise<CreatedSlashCommand> {
  const me = await requireRole(actor.id, "admin", { hide: true });
  const data = parseOrThrow(createCommandSchema, input);
  const url = await checkOutboundUrl(data.url);
  const bot = await db().user.findUnique({
    where: { username: data.bot },
    select: { id: true, isBot: true, deactivatedAt: true },
  });
  if (!bot || bot.deactivatedAt) {
    const message = `No bot named @${data.bot}`;
    throw new AppError("validation", message, { fields: { bot: [message] } });
  }
  if (!bot.isBot) {
    const message = `@${data.bot} is a person, not a bot: commands are answered by bot accounts`;
    throw new AppError("validation", message, { fields: { bot: [message] } });
  }
  const secret = newWebhookSecret();
  const id = randomUUID();
  try {
    const row = await db().$transaction(async (tx) => {
      const created = await tx.slashCommand.create({
        data: {
          id,
          name: data.name,
          botId: bot.id,
          url: url.toString(),
          secretSealed: seal(secret, `slash-command:${id}`),
          description: data.description,
          usageHint: data.usageHint,
          createdById: me.id,
        },
        select: viewSelect,
      });
      await recordAudit(
        {
          actor: { id: me.id, username: me.username },
          action: "command.create",
          targetType: "command",
          targetId: id,
          targetLabel: `/${data.name}`,
          detail: { bot: data.bot, url: url.origin },
        },
        tx,
      );
      return created;
    });
    return { ...toView(row), secret };
  } catch (err) {
    if (isUniqueViolation(err)) {
      const message = `There is already a /${data.name} command`;
      throw new AppError("conflict", message, { fields: { name: [message] } });
    }
    throw err;
  }
}

export async function deleteSlashCommand(
  actor: Pick<SessionUser, "id">,
  id: unknown,
): Promise<{ id: string }> {
  const me = await requireRole(actor.id, "admin", { hide: true });
  const parsed = typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id) ? id.toLowerCase() : null;
  const notFound = new AppError("not_found", "No such command");
  if (!parsed) throw notFound;
  await db().$transaction(async (tx) => {
    const row = await tx.slashCommand.findUnique({ where: { id: parsed }, select: { name: true } });
    if (!row) throw notFound;
    await tx.slashCommand.delete({ where: { id: parsed } });
    await recordAudit(
      {
        actor: { id: me.id, username: me.username },
        action: "command.delete",
        targetType: "command",
        targetId: parsed,
        targetLabel: `/${row.name}`,
      },
      tx,
    );
  });
  return { id: parsed };
}
