// Outgoing webhook deliveries: a durable queue in PostgreSQL (table WebhookDelivery).
//
// - Enqueued by a trigger on Message in the insert's own transaction (migration
//   20261201230000_webhooks): a stored message always has its deliveries, and a send never waits
//   for a receiver.
// - Every node runs the worker (server.ts startWebhookWorker). Due rows are claimed with
//   `FOR UPDATE SKIP LOCKED` and leased (nextAttemptAt moves a minute ahead) before the request goes
//   out, so two nodes never send the same delivery at once, and a node that dies mid-request leaves
//   a row that is retried after the lease: at-least-once, always with the same `webhook-id`.
// - A 2xx is delivered. Anything else (non-2xx, timeout, refused connection) is retried with
//   exponential backoff (retryDelayMs) until 24 h after the event (retryWindowMs), then failed.
//   An address refused by the SSRF guard at send time (a name that now resolves privately) fails
//   at once, with refused_address in the log.
// - A 2xx answer with JSON {"text": "…", "username"?: "…"} posts a reply in the event's room as the
//   hook's bot, with a clientId derived from the delivery id: a re-delivery never posts it twice.

import { db } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import type { ChatMessage } from "@/lib/messages/messages.schema";
import { sendMessage } from "@/lib/messages/messages.service";
import { OutboundError, safeFetch } from "./safe-fetch";
import { webhookHeaders } from "./signature";
import { parseHookPayload } from "./slack-payload";
import { openHookSecret } from "./webhooks.service";

const log = logger.child({ module: "webhooks" });

/** Retry delays as multiples of WEBHOOK_RETRY_BASE_MS: 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h… */
const STEPS = [1, 3, 6, 30, 60, 180, 360] as const;

/** The wait after the `failures`-th failed attempt (1-based). */
export function retryDelayMs(failures: number, baseMs = env().WEBHOOK_RETRY_BASE_MS): number {
  const step = STEPS[Math.min(Math.max(failures, 1), STEPS.length) - 1] ?? 360;
  return step * baseMs;
}

/** How long after the event a delivery is retried (24 h at the default base). */
export function retryWindowMs(baseMs = env().WEBHOOK_RETRY_BASE_MS): number {
  return baseMs * 8640;
}

/** A claimed delivery is not handed to another worker for this long (longer than a request). */
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;

interface Claimed {
  id: string;
  hookId: string;
  roomId: string;
  event: unknown;
  attempts: number;
  createdAt: Date;
  url: string;
  secretSealed: string;
  botUserId: string;
}

export interface WorkerOptions {
  /** A reply message was stored: broadcast it (server.ts passes registry.messageToRoom). */
  onReply?: (message: ChatMessage) => void;
  /** Deliveries claimed per round. */
  batch?: number;
}

/** Claim up to `batch` due deliveries and send them. Resolves with how many were attempted. */
export async function deliverDue(opts: WorkerOptions = {}): Promise<number> {
  // A message deleted before its delivery went out is never sent: its copy is dropped from the row.
  await db().$executeRaw(Prisma.sql`
    UPDATE "WebhookDelivery" d
    SET status = 'failed', event = '{}'::jsonb, "lastError" = 'not sent: the message was deleted'
    FROM "Message" m
    WHERE d.status = 'pending' AND d."nextAttemptAt" <= now() AND m.id = d."messageId"
      AND m."deletedAt" IS NOT NULL`);
  const rows = await db().$queryRaw<Claimed[]>(Prisma.sql`
    WITH due AS (
      SELECT id FROM "WebhookDelivery"
      WHERE status = 'pending' AND "nextAttemptAt" <= now()
      ORDER BY "nextAttemptAt" LIMIT ${opts.batch ?? 20}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "WebhookDelivery" d
    SET attempts = d.attempts + 1, "lastAttemptAt" = now(),
        "nextAttemptAt" = now() + make_interval(secs => ${LEASE_MS / 1000})
    FROM due, "OutgoingWebhook" h
    WHERE d.id = due.id AND h.id = d."hookId"
    RETURNING d.id, d."hookId", d."roomId", d.event, d.attempts, d."createdAt",
              h.url, h."secretSealed", h."botUserId"`);
  await Promise.all(rows.map((r) => attempt(r, opts)));
  return rows.length;
}

async function attempt(d: Claimed, opts: WorkerOptions): Promise<void> {
  // jsonb keeps one key order, so every attempt sends the same bytes (signed with a fresh timestamp).
  const body = JSON.stringify(d.event);
  let statusCode: number | null = null;
  let error = "";
  let permanent = false;
  let replyBody: string | null = null;
  try {
    const secret = openHookSecret(d.hookId, d.secretSealed);
    const res = await safeFetch(d.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...webhookHeaders(secret, d.id, body) },
      body,
      timeoutMs: TIMEOUT_MS,
      maxBytes: 64 * 1024,
    });
    statusCode = res.status;
    if (res.status >= 200 && res.status < 300) replyBody = res.body;
    else error = `HTTP ${res.status}`;
  } catch (err) {
    if (err instanceof OutboundError) {
      error = `${err.code}: ${err.message}`;
      permanent = err.code === "refused_address" || err.code === "bad_url";
    } else {
      error = `internal: ${err instanceof Error ? err.message : String(err)}`;
      log.warn({ err, delivery: d.id }, "webhook delivery failed");
    }
  }
  if (replyBody !== null) {
    const note = await postReply(d, replyBody, opts).catch((err: unknown) => {
      log.warn({ err, delivery: d.id }, "webhook reply failed");
      return `reply not posted: ${err instanceof Error ? err.message : String(err)}`;
    });
    await db().webhookDelivery.update({
      where: { id: d.id },
      data: {
        status: "delivered",
        deliveredAt: new Date(),
        lastStatusCode: statusCode,
        lastError: note ?? "",
      },
    });
    return;
  }
  const next = Date.now() + retryDelayMs(d.attempts);
  const giveUp = permanent || next > d.createdAt.getTime() + retryWindowMs();
  await db().webhookDelivery.update({
    where: { id: d.id },
    data: {
      status: giveUp ? "failed" : "pending",
      nextAttemptAt: new Date(next),
      lastStatusCode: statusCode,
      lastError: error.slice(0, 500),
    },
  });
}

/** The delivery id's hex as a UUID: the reply's clientId, so a re-delivery stores it once. */
const replyClientId = (deliveryId: string) => {
  const h = deliveryId.replace(/^msg_/, "");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

/** A 2xx with a JSON body that has `text` (or attachments): a reply as the hook's bot. Returns a note for the log. */
async function postReply(d: Claimed, raw: string, opts: WorkerOptions): Promise<string | null> {
  if (!raw.trim().startsWith("{")) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!json || typeof json !== "object") return null;
  const o = json as Record<string, unknown>;
  if (o.text === undefined && o.attachments === undefined) return null;
  const msg = parseHookPayload({ ...o, clientId: undefined });
  const bot = await db().user.findUnique({
    where: { id: d.botUserId },
    select: { id: true, username: true, displayName: true },
  });
  if (!bot) return "reply not posted: the hook's bot is gone";
  const hook = await db().outgoingWebhook.findUnique({ where: { id: d.hookId }, select: { name: true } });
  const { message, created } = await sendMessage(
    bot,
    { roomId: d.roomId, clientId: replyClientId(d.id), body: msg.body },
    { meta: { via: hook?.name ?? bot.displayName, ...msg.meta } },
  );
  if (created) opts.onReply?.(message);
  return null;
}

/** How long finished (delivered or failed) deliveries stay in the log. */
export const RETENTION_DAYS = 7;

/** Delete finished deliveries older than RETENTION_DAYS (any node may run it; it is idempotent). */
export async function pruneDeliveries(now = new Date()): Promise<number> {
  const { count } = await db().webhookDelivery.deleteMany({
    where: {
      status: { in: ["delivered", "failed"] },
      createdAt: { lt: new Date(now.getTime() - RETENTION_DAYS * 86_400_000) },
    },
  });
  return count;
}

/**
 * Poll for due deliveries every WEBHOOK_POLL_MS (a full batch goes again at once). The returned
 * function stops the loop and resolves once the round in flight is done.
 */
export function startWebhookWorker(opts: WorkerOptions & { everyMs?: number } = {}): () => Promise<void> {
  const every = opts.everyMs ?? env().WEBHOOK_POLL_MS;
  const batch = opts.batch ?? 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let prunedAt = 0;
  const round = async () => {
    try {
      // The log keeps RETENTION_DAYS of finished deliveries (each holds a copy of its message).
      if (Date.now() - prunedAt > 10 * 60_000) {
        prunedAt = Date.now();
        await pruneDeliveries();
      }
      while (!stopped && (await deliverDue({ ...opts, batch })) === batch) {}
    } catch (err) {
      log.warn({ err }, "webhook delivery round failed");
    }
    if (!stopped) {
      timer = setTimeout(() => {
        current = round();
      }, every);
      timer.unref();
    }
  };
  timer = setTimeout(() => {
    current = round();
  }, every);
  timer.unref();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await current;
  };
}
