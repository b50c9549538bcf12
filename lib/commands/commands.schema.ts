// Slash commands (issue 18, item 6): the built-ins, how composer text is read as a command, and the
// wire shapes of command:run / command:list and the admin routes. Shared with the browser.
import { z } from "zod";
import { type ChatMessage, MAX_MESSAGE_LENGTH, type MessageAuthor } from "@/lib/messages/messages.schema";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";
import { usernameSchema } from "@/lib/users/users.schema";

export interface CommandInfo {
  /** Without the slash. */
  name: string;
  /** e.g. "/invite @user" */
  usage: string;
  description: string;
  /** A custom command (answered by a bot), with the bot's username. */
  bot?: string;
}

export const BUILTIN_COMMANDS: readonly CommandInfo[] = [
  { name: "me", usage: "/me <action>", description: "Say what you are doing: /me waves → *you* waves" },
  { name: "topic", usage: "/topic <text>", description: "Set this room's topic (room moderators)" },
  { name: "invite", usage: "/invite @user", description: "Add someone to this room (the room owner)" },
  { name: "leave", usage: "/leave", description: "Leave this room" },
  { name: "mute", usage: "/mute", description: "Mute or unmute this room for you" },
];
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(BUILTIN_COMMANDS.map((c) => c.name));

/**
 * What composer text means. "/name args" is a command; "//text" is the literal message "/text" (the
 * escape); anything else is an ordinary message. Commands are never sent as messages by accident.
 */
export type ParsedInput = { type: "message"; body: string } | { type: "command"; name: string; args: string };

export function parseComposerText(text: string): ParsedInput {
  if (text.startsWith("//")) return { type: "message", body: text.slice(1) };
  const m = /^\/([^\s/]*)(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) return { type: "message", body: text };
  return { type: "command", name: (m[1] ?? "").toLowerCase(), args: (m[2] ?? "").trim() };
}

export const commandNameSchema = z
  .string({ error: "Name the command" })
  .trim()
  .transform((s) => s.replace(/^\//, "").toLowerCase())
  .pipe(
    z
      .string()
      .min(1, "Name the command")
      .max(32, "At most 32 characters")
      .regex(/^[a-z0-9][a-z0-9_-]*$/, "Letters, digits, _ and - only (starting with a letter or digit)")
      .refine((s) => !BUILTIN_NAMES.has(s), "That is a built-in command"),
  );

export const runCommandSchema = z.strictObject({
  roomId: roomIdSchema,
  /** What was typed, starting with "/" (e.g. "/topic Release day"). */
  text: z
    .string({ error: "Type a command" })
    .max(MAX_MESSAGE_LENGTH, `Too long (max ${MAX_MESSAGE_LENGTH} characters)`)
    .refine((s) => s.trimStart().startsWith("/"), "Commands start with /"),
  /** A UUID made once per command: a retry does not run it (or post its answer) twice. */
  clientId: z.uuid({ error: "clientId must be a UUID" }),
});
export type RunCommandInput = z.input<typeof runCommandSchema>;

export const listCommandsSchema = z.strictObject({ roomId: roomIdSchema });

/** The ack of command:run. */
export interface CommandOutcome {
  /** Without the slash. */
  command: string;
  /** What happened, as a sentence for the caller ("Topic set", "@bo was added"). */
  notice: string;
  /** A message the command stored (/me, or a custom command's visible answer); also broadcast. */
  message?: ChatMessage;
  /** An answer only the caller sees (a custom command's "ephemeral" answer); not stored. */
  ephemeral?: { text: string; author: MessageAuthor };
}

/** What a custom command's URL may answer (JSON); an empty body or 204 means "nothing to show". */
export const commandReplySchema = z.object({
  text: z.string().max(MAX_MESSAGE_LENGTH).default(""),
  visibility: z.enum(["room", "ephemeral"]).default("ephemeral"),
});

export const createCommandSchema = z.strictObject({
  name: commandNameSchema,
  /** The bot that answers (its username). */
  bot: usernameSchema,
  url: z
    .string({ error: "Give the URL" })
    .trim()
    .min(1, "Give the URL")
    .max(2000, "At most 2,000 characters"),
  description: z.string().trim().max(200, "At most 200 characters").default(""),
  usageHint: z.string().trim().max(100, "At most 100 characters").default(""),
});
export type CreateCommandInput = z.input<typeof createCommandSchema>;

/** A custom command as the admin console lists it (never its secret). */
export interface SlashCommandView {
  id: string;
  name: string;
  url: string;
  description: string;
  usageHint: string;
  bot: { id: string; username: string; displayName: string };
  createdAt: string;
}

/** The answer to creating one: the only time its signing secret is shown. */
export interface CreatedSlashCommand extends SlashCommandView {
  secret: string;
}
