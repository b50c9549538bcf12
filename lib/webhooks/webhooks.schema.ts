// Webhooks (issue 18, items 4–5): the forms' inputs and the wire shapes of the integrations UI.
// Client-safe: the admin console and the room's Integrations panel import it.
import { z } from "zod";
import { roomIdSchema } from "@/lib/rooms/rooms.schema";

export const MAX_HOOK_ROOMS = 20;
export const MAX_TRIGGER_WORDS = 10;

const hookName = z
  .string({ error: "Name must be text" })
  .trim()
  .min(1, "Give the webhook a name")
  .max(60, "Name is too long (max 60 characters)");

export const createIncomingHookSchema = z.strictObject({
  roomId: roomIdSchema,
  name: hookName,
});

export const createOutgoingHookSchema = z.strictObject({
  name: hookName,
  url: z
    .string({ error: "URL must be text" })
    .trim()
    .min(1, "Enter the URL to send events to")
    .max(2000, "URL is too long (max 2,000 characters)"),
  roomIds: z
    .array(roomIdSchema, { error: "Pick the rooms to watch" })
    .min(1, "Pick at least one room")
    .max(MAX_HOOK_ROOMS, `At most ${MAX_HOOK_ROOMS} rooms`),
  /** Empty: every message; otherwise only messages whose first word is one of these. */
  triggerWords: z
    .array(
      z
        .string({ error: "Trigger words must be text" })
        .trim()
        .min(1, "A trigger word cannot be empty")
        .max(40, "A trigger word is at most 40 characters")
        .regex(/^\S+$/, "A trigger word is one word (no spaces)"),
    )
    .max(MAX_TRIGGER_WORDS, `At most ${MAX_TRIGGER_WORDS} trigger words`)
    .default([]),
});

/** Comma- or space-separated trigger words as typed in a form. */
export function splitTriggerWords(s: string): string[] {
  return s
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
}

export interface HookRoom {
  id: string;
  name: string;
}

export interface IncomingHookView {
  id: string;
  name: string;
  room: HookRoom;
  /** The bot the messages show as */
  bot: { id: string; username: string; displayName: string };
  createdAt: string;
  lastUsedAt: string | null;
  /** Revoked: the URL answers 404 until the secret is regenerated */
  revoked: boolean;
}

/** What create and regenerate answer: the only time the secret URL is shown. */
export interface CreatedIncomingHook extends IncomingHookView {
  /** The path to POST to: /hooks/<id>/<secret> (prefix it with the site's origin) */
  path: string;
}

export interface OutgoingHookView {
  id: string;
  name: string;
  url: string;
  rooms: HookRoom[];
  triggerWords: string[];
  bot: { id: string; username: string; displayName: string };
  createdAt: string;
  /** Deliveries still pending and failed in the log */
  pending: number;
  failed: number;
}

export interface CreatedOutgoingHook extends OutgoingHookView {
  /** The signing secret (whsec_…): shown once */
  secret: string;
}

export type DeliveryStatus = "pending" | "delivered" | "failed";

export interface DeliveryView {
  /** The `webhook-id` header: the same on every attempt */
  id: string;
  status: DeliveryStatus;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string;
  /** The message's text, shortened */
  snippet: string;
}

export interface HookLists {
  incoming: IncomingHookView[];
  outgoing: OutgoingHookView[];
}

/** The path of an incoming hook's URL. */
export const incomingHookPath = (id: string, secret: string) => `/hooks/${id}/${secret}`;
