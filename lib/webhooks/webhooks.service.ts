// Incoming and outgoing webhooks (issue 18, items 4–5; docs/integrations.md).
//
// Who manages them: workspace admins (every room, the admin console's Integrations tab), and the
// people who moderate a room (its owner and room moderators, and workspace moderators, as
// lib/workspace/roles.ts canModerateRoom says) for that room. An outgoing hook that watches several
// rooms needs that right in every one of them. DMs have no webhooks. Every create, regenerate,
// revoke and delete is audited (targetType "webhook").
//
// Each hook posts as a bot user of its own (User.isBot, botOwnerId = its creator), named after the
// hook and made a member of its room(s). The bot is like any member: archived rooms refuse it, and
// an announcement (read-only) room refuses it unless someone makes the bot a room moderator.
//
// Secrets: an incoming hook's URL secret is stored as its SHA-256 only (shown once on create and
// regenerate); an outgoing hook's signing secret is AES-GCM sealed (lib/auth/secret-box.ts), since
// Beacon must sign with it.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/audit.service";
import { open, seal } from "@/lib/auth/secret-box";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError, parseOrThrow } from "@/lib/errors";
import { type SendResult, sendMessage } from "@/lib/messages/messages.service";
import { requireRoomModerator } from "@/lib/rooms/moderation.service";
import { currentRole, type RoleOf } from "@/lib/workspace/access";
import { isAdmin, isWorkspaceModerator } from "@/lib/workspace/roles";
import { checkOutboundUrl } from "./safe-fetch";
import { newWebhookSecret } from "./signature";
import type { HookMessage } from "./slack-payload";
import {
  type CreatedIncomingHook,
  type CreatedOutgoingHook,
  createIncomingHookSchema,
  createOutgoingHookSchema,
  type DeliveryStatus,
  type DeliveryView,
  type HookLists,
  type HookRoom,
  type IncomingHookView,
  incomingHookPath,
  type OutgoingHookView,
} from "./webhooks.schema";

type Actor = { id: string };

const hookIdSchema = z.uuid({ error: "Not a webhook id" }).toLowerCase();

const hookNotFound = () => new AppError("not_found", "That webhook does not exist");

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** The room a hook may be attached to by this actor: 404 when invisible, 403 when not theirs to manage. */
async function manageableRoom(
  actor: Actor,
  roomId: unknown,
): Promise<{ id: string; name: string; me: RoleOf }> {
  const me = await currentRole(actor.id);
  const id = z.uuid().toLowerCase().safeParse(roomId);
  if (!id.success) throw new AppError("not_found", "That room does not exist");
  if (isAdmin(me.role)) {
    const room = await db().room.findUnique({
      where: { id: id.data },
      select: {
        id: true,
        name: true,
        kind: true,
        isPrivate: true,
        memberships: { where: { userId: me.id }, select: { userId: true } },
      },
    });
    // A private room is a 404 to everyone outside it, admins included (as everywhere else): a hook
    // would otherwise copy its messages out, or seat a bot in it whose tokens read the history.
    if (!room || (room.isPrivate && room.memberships.length === 0))
      throw new AppError("not_found", "That room does not exist");
    if (room.kind === "dm") throw new AppError("forbidden", "Direct conversations cannot have webhooks");
    return { id: room.id, name: room.name, me };
  }
  const { room } = await requireRoomModerator(me, id.data);
  return { id: room.id, name: room.name, me };
}

/** A bot user for a new hook, named after it, owned by its creator. */
async function createHookBot(tx: Prisma.TransactionClient, hookName: string, ownerId: string) {
  const slug = hookName
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 20);
  const username = `${slug || "hook"}-bot-${randomBytes(3).toString("hex")}`;
  return tx.user.create({
    data: { username, displayName: hookName, isBot: true, botOwnerId: ownerId, role: "member" },
    select: { id: true, username: true, displayName: true },
  });
}

// ───────────────────────────── incoming ─────────────────────────────

const incomingSelect = {
  id: true,
  name: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  room: { select: { id: true, name: true } },
  bot: { select: { id: true, username: true, displayName: true } },
} as const satisfies Prisma.IncomingWebhookSelect;

function incomingView(
  h: Prisma.IncomingWebhookGetPayload<{ select: typeof incomingSelect }>,
): IncomingHookView {
  return {
    id: h.id,
    name: h.name,
    room: h.room,
    bot: h.bot,
    createdAt: h.createdAt.toISOString(),
    lastUsedAt: h.lastUsedAt?.toISOString() ?? null,
    revoked: h.revokedAt !== null,
  };
}

const newIncomingSecret = () => randomBytes(24).toString("base64url");

/** Create an incoming hook for a room: its bot joins the room; the URL is in the answer only. */
export async function createIncomingHook(actor: Actor, input: unknown): Promise<CreatedIncomingHook> {
  const data = parseOrThrow(createIncomingHookSchema, input);
  const room = await manageableRoom(actor, data.roomId);
  const secret = newIncomingSecret();
  const hook = await db().$transaction(async (tx) => {
    const bot = await createHookBot(tx, data.name, actor.id);
    await tx.membership.create({ data: { roomId: room.id, userId: bot.id } });
    const h = await tx.incomingWebhook.create({
      data: {
        name: data.name,
        roomId: room.id,
        botUserId: bot.id,
        secretHash: sha256(secret),
        createdById: actor.id,
      },
      select: incomingSelect,
    });
    await recordAudit(
      {
        actor: room.me,
        action: "webhook.incoming.create",
        targetType: "webhook",
        targetId: h.id,
        targetLabel: data.name,
        detail: { roomId: room.id, roomName: room.name, botId: bot.id },
      },
      tx,
    );
    return h;
  });
  return { ...incomingView(hook), path: incomingHookPath(hook.id, secret) };
}

/** An incoming hook the actor may manage (404 when it is not there or not theirs to see). */
async function manageableIncoming(actor: Actor, hookId: unknown) {
  const id = hookIdSchema.safeParse(hookId);
  if (!id.success) throw hookNotFound();
  const hook = await db().incomingWebhook.findUnique({ where: { id: id.data }, select: incomingSelect });
  if (!hook) throw hookNotFound();
  try {
    const { me } = await manageableRoom(actor, hook.room.id);
    return { hook, me };
  } catch (err) {
    if (err instanceof AppError && err.code === "forbidden") throw hookNotFound();
    throw err;
  }
}

/** A new secret (the old URL stops working at once); also brings a revoked hook back. */
export async function regenerateIncomingHook(actor: Actor, hookId: unknown): Promise<CreatedIncomingHook> {
  const { hook, me } = await manageableIncoming(actor, hookId);
  const secret = newIncomingSecret();
  const row = await db().$transaction(async (tx) => {
    const h = await tx.incomingWebhook.update({
      where: { id: hook.id },
      data: { secretHash: sha256(secret), revokedAt: null },
      select: incomingSelect,
    });
    await recordAudit(
      {
        actor: me,
        action: "webhook.incoming.regenerate",
        targetType: "webhook",
        targetId: hook.id,
        targetLabel: hook.name,
        detail: { roomId: hook.room.id, roomName: hook.room.name },
      },
      tx,
    );
    return h;
  });
  return { ...incomingView(row), path: incomingHookPath(row.id, secret) };
}

/** Revoke: the URL answers 404 from now on (regenerate gives the hook a new one). */
export async function revokeIncomingHook(actor: Actor, hookId: unknown): Promise<IncomingHookView> {
  const { hook, me } = await manageableIncoming(actor, hookId);
  const row = await db().$transaction(async (tx) => {
    const h = await tx.incomingWebhook.update({
      where: { id: hook.id },
      // The hash of a fresh random value that nobody holds: no old URL matches it any more.
      data: { revokedAt: new Date(), secretHash: sha256(randomBytes(32).toString("hex")) },
      select: incomingSelect,
    });
    await recordAudit(
      {
        actor: me,
        action: "webhook.incoming.revoke",
        targetType: "webhook",
        targetId: hook.id,
        targetLabel: hook.name,
        detail: { roomId: hook.room.id, roomName: hook.room.name },
      },
      tx,
    );
    return h;
  });
  return incomingView(row);
}

/**
 * Post a message through an incoming hook's URL. Unknown id, wrong secret, revoked hook or a
 * deactivated bot are the same 404, so the URL reveals nothing. The message goes through the real
 * send path (sendMessage: limits, membership, archived/read-only, group commit), idempotent by the
 * payload's clientId when it has one.
 */
export async function receiveIncoming(hookId: string, secret: string, msg: HookMessage): Promise<SendResult> {
  const id = hookIdSchema.safeParse(hookId);
  if (!id.success) throw new AppError("not_found", "No such webhook");
  const hook = await db().incomingWebhook.findUnique({
    where: { id: id.data },
    select: {
      id: true,
      name: true,
      roomId: true,
      revokedAt: true,
      secretHash: true,
      bot: { select: { id: true, username: true, displayName: true, deactivatedAt: true } },
    },
  });
  const given = Buffer.from(sha256(secret), "hex");
  const stored = Buffer.from(hook?.secretHash ?? "0".repeat(64), "hex");
  const match = given.length === stored.length && timingSafeEqual(given, stored);
  if (!hook || !match || hook.revokedAt || hook.bot.deactivatedAt)
    throw new AppError("not_found", "No such webhook");
  const result = await sendMessage(
    hook.bot,
    { roomId: hook.roomId, clientId: msg.clientId ?? randomUUID(), body: msg.body },
    { meta: { via: hook.name, ...msg.meta } },
  );
  await db()
    .incomingWebhook.update({ where: { id: hook.id }, data: { lastUsedAt: new Date() } })
    .catch(() => {});
  return result;
}

// ───────────────────────────── outgoing ─────────────────────────────

const outgoingSelect = {
  id: true,
  name: true,
  url: true,
  triggerWords: true,
  createdAt: true,
  bot: { select: { id: true, username: true, displayName: true } },
  rooms: { select: { room: { select: { id: true, name: true } } } },
} as const satisfies Prisma.OutgoingWebhookSelect;

type OutgoingRow = Prisma.OutgoingWebhookGetPayload<{ select: typeof outgoingSelect }>;

async function outgoingViews(rows: OutgoingRow[]): Promise<OutgoingHookView[]> {
  const counts = rows.length
    ? await db().webhookDelivery.groupBy({
        by: ["hookId", "status"],
        where: { hookId: { in: rows.map((r) => r.id) }, status: { in: ["pending", "failed"] } },
        _count: { _all: true },
      })
    : [];
  const count = (hookId: string, status: string) =>
    counts.find((c) => c.hookId === hookId && c.status === status)?._count._all ?? 0;
  return rows.map((h) => ({
    id: h.id,
    name: h.name,
    url: h.url,
    triggerWords: h.triggerWords,
    bot: h.bot,
    createdAt: h.createdAt.toISOString(),
    rooms: h.rooms.map((r) => r.room).sort((a, b) => a.name.localeCompare(b.name)),
    pending: count(h.id, "pending"),
    failed: count(h.id, "failed"),
  }));
}

/**
 * Create an outgoing hook. The URL is checked now (a private, loopback or link-local address is a
 * 400 unless WEBHOOK_ALLOW_HOSTS lists it) and again on every delivery. The signing secret is in
 * the answer only.
 */
export async function createOutgoingHook(actor: Actor, input: unknown): Promise<CreatedOutgoingHook> {
  const data = parseOrThrow(createOutgoingHookSchema, input);
  const roomIds = [...new Set(data.roomIds)];
  const rooms: Awaited<ReturnType<typeof manageableRoom>>[] = [];
  for (const r of roomIds) rooms.push(await manageableRoom(actor, r));
  const me = rooms[0]?.me ?? (await currentRole(actor.id));
  const url = (await checkOutboundUrl(data.url)).toString();
  const secret = newWebhookSecret();
  const id = randomUUID();
  const triggerWords = [...new Set(data.triggerWords)];
  const row = await db().$transaction(async (tx) => {
    const bot = await createHookBot(tx, data.name, actor.id);
    await tx.membership.createMany({ data: rooms.map((r) => ({ roomId: r.id, userId: bot.id })) });
    const h = await tx.outgoingWebhook.create({
      data: {
        id,
        name: data.name,
        url,
        secretSealed: seal(secret, `outgoing-webhook:${id}`),
        botUserId: bot.id,
        triggerWords,
        createdById: actor.id,
        rooms: { create: rooms.map((r) => ({ roomId: r.id })) },
      },
      select: outgoingSelect,
    });
    await recordAudit(
      {
        actor: me,
        action: "webhook.outgoing.create",
        targetType: "webhook",
        targetId: id,
        targetLabel: data.name,
        detail: { url, rooms: rooms.map((r) => r.name), triggerWords, botId: bot.id },
      },
      tx,
    );
    return h;
  });
  const [view] = await outgoingViews([row]);
  if (!view) throw new AppError("internal", "The webhook was not stored");
  return { ...view, secret };
}

/** The signing secret of a hook (for the delivery worker). */
export function openHookSecret(hookId: string, sealed: string): string {
  return open(sealed, `outgoing-webhook:${hookId}`);
}

/** An outgoing hook the actor may manage: every one of its rooms must be theirs (admins: any). */
async function manageableOutgoing(actor: Actor, hookId: unknown) {
  const id = hookIdSchema.safeParse(hookId);
  if (!id.success) throw hookNotFound();
  const hook = await db().outgoingWebhook.findUnique({ where: { id: id.data }, select: outgoingSelect });
  if (!hook) throw hookNotFound();
  const me = await currentRole(actor.id);
  if (!isAdmin(me.role)) {
    try {
      for (const r of hook.rooms) await manageableRoom(actor, r.room.id);
    } catch (err) {
      if (err instanceof AppError && (err.code === "forbidden" || err.code === "not_found"))
        throw hookNotFound();
      throw err;
    }
    if (hook.rooms.length === 0) throw hookNotFound();
  }
  return { hook, me };
}

/** Delete an outgoing hook: no more events; its pending deliveries and log go with it. */
export async function deleteOutgoingHook(actor: Actor, hookId: unknown): Promise<{ id: string }> {
  const { hook, me } = await manageableOutgoing(actor, hookId);
  await db().$transaction(async (tx) => {
    await tx.outgoingWebhook.delete({ where: { id: hook.id } });
    // The bot stays (its replies keep their author) but leaves the rooms it watched.
    await tx.membership.deleteMany({ where: { userId: hook.bot.id } });
    await recordAudit(
      {
        actor: me,
        action: "webhook.outgoing.delete",
        targetType: "webhook",
        targetId: hook.id,
        targetLabel: hook.name,
        detail: { url: hook.url, rooms: hook.rooms.map((r) => r.room.name) },
      },
      tx,
    );
  });
  return { id: hook.id };
}

/** An outgoing hook's delivery log, newest first. */
export async function listDeliveries(actor: Actor, hookId: unknown, limit = 50): Promise<DeliveryView[]> {
  const { hook } = await manageableOutgoing(actor, hookId);
  const rows = await db().webhookDelivery.findMany({
    where: { hookId: hook.id },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(limit, 1), 200),
  });
  // A deleted message's text is not shown again through the log.
  const deleted = new Set(
    (
      await db().message.findMany({
        where: { id: { in: rows.map((d) => d.messageId) }, deletedAt: { not: null } },
        select: { id: true },
      })
    ).map((m) => m.id),
  );
  return rows.map((d) => {
    const event = d.event as { data?: { message?: { text?: string } } };
    return {
      id: d.id,
      status: d.status as DeliveryStatus,
      attempts: d.attempts,
      createdAt: d.createdAt.toISOString(),
      lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      snippet: deleted.has(d.messageId) ? "" : (event.data?.message?.text ?? "").slice(0, 80),
    };
  });
}

/**
 * The hooks the actor may manage: with a roomId, that room's (its moderators and admins); without
 * one, every hook (admins only).
 */
export async function listHooks(actor: Actor, opts: { roomId?: string | null } = {}): Promise<HookLists> {
  if (opts.roomId) {
    const room = await manageableRoom(actor, opts.roomId);
    const [incoming, outgoing] = await Promise.all([
      db().incomingWebhook.findMany({
        where: { roomId: room.id },
        select: incomingSelect,
        orderBy: { createdAt: "desc" },
      }),
      db().outgoingWebhook.findMany({
        where: { rooms: { some: { roomId: room.id } } },
        select: outgoingSelect,
        orderBy: { createdAt: "desc" },
      }),
    ]);
    return { incoming: incoming.map(incomingView), outgoing: await outgoingViews(outgoing) };
  }
  const me = await currentRole(actor.id);
  if (!isAdmin(me.role))
    throw new AppError("forbidden", "Only admins can see every webhook; open a room's integrations");
  const [incoming, outgoing] = await Promise.all([
    db().incomingWebhook.findMany({ select: incomingSelect, orderBy: { createdAt: "desc" }, take: 500 }),
    db().outgoingWebhook.findMany({ select: outgoingSelect, orderBy: { createdAt: "desc" }, take: 500 }),
  ]);
  return { incoming: incoming.map(incomingView), outgoing: await outgoingViews(outgoing) };
}

/** The rooms the actor may attach hooks to (the forms' pickers): for admins and workspace moderators the public channels and the private ones they are in; else those they moderate. */
export async function hookableRooms(actor: Actor): Promise<HookRoom[]> {
  const me = await currentRole(actor.id);
  const rows = await db().room.findMany({
    where: {
      kind: "channel",
      archivedAt: null,
      ...(isAdmin(me.role) || isWorkspaceModerator(me.role)
        ? { OR: [{ isPrivate: false }, { memberships: { some: { userId: me.id } } }] }
        : { memberships: { some: { userId: me.id, role: { in: ["owner", "moderator"] } } } }),
    },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
    take: 500,
  });
  return rows;
}
