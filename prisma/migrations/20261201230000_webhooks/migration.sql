-- Issue 18, items 4–5: incoming and outgoing webhooks (lib/webhooks, docs/integrations.md).

-- How a message from a webhook shows: the hook's name ("via"), the Slack `username` and
-- `icon_emoji` overrides, and Slack attachments as cards. NULL for every ordinary message.
ALTER TABLE "Message" ADD COLUMN "meta" JSONB;

-- An incoming webhook: a secret URL that posts into one room as the hook's bot. Only the SHA-256 of
-- the secret is stored (the URL is shown once); revokedAt set: the URL answers 404.
CREATE TABLE "IncomingWebhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "roomId" UUID NOT NULL,
    "botUserId" UUID NOT NULL,
    "secretHash" TEXT NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "lastUsedAt" TIMESTAMP(3),
    CONSTRAINT "IncomingWebhook_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "IncomingWebhook_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "IncomingWebhook_botUserId_fkey" FOREIGN KEY ("botUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "IncomingWebhook_roomId_idx" ON "IncomingWebhook"("roomId");

-- An outgoing webhook: messages in its rooms (optionally only those whose first word is one of
-- its trigger words) are POSTed, signed with its secret (AES-GCM sealed at rest), to its URL.
CREATE TABLE "OutgoingWebhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secretSealed" TEXT NOT NULL,
    "botUserId" UUID NOT NULL,
    "triggerWords" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutgoingWebhook_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "OutgoingWebhook_botUserId_fkey" FOREIGN KEY ("botUserId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "OutgoingWebhook_botUserId_idx" ON "OutgoingWebhook"("botUserId");

CREATE TABLE "OutgoingWebhookRoom" (
    "hookId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    CONSTRAINT "OutgoingWebhookRoom_pkey" PRIMARY KEY ("hookId", "roomId"),
    CONSTRAINT "OutgoingWebhookRoom_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "OutgoingWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "OutgoingWebhookRoom_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "OutgoingWebhookRoom_roomId_idx" ON "OutgoingWebhookRoom"("roomId");

-- One event for one hook: its id is the `webhook-id` header (the same on every retry). The event
-- JSON is fixed when the message is stored, so every retry sends the same bytes (signed afresh).
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "hookId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "messageId" UUID NOT NULL,
    "event" JSONB NOT NULL,
    -- pending | delivered | failed
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastStatusCode" INTEGER,
    "lastError" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "WebhookDelivery_hookId_fkey" FOREIGN KEY ("hookId") REFERENCES "OutgoingWebhook"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "WebhookDelivery_hookId_createdAt_idx" ON "WebhookDelivery"("hookId", "createdAt");
-- The worker's queue: only pending rows, by due time (schema.prisma cannot express a partial index).
CREATE INDEX "WebhookDelivery_due_idx" ON "WebhookDelivery"("nextAttemptAt") WHERE "status" = 'pending';

-- Enqueue in the insert's own transaction: a statement-level trigger over the inserted rows (one
-- INSERT … SELECT per statement, so a group-commit batch stays one statement and costs one indexed
-- probe of OutgoingWebhookRoom when no hook watches the room). No event can be lost between the
-- message's commit and its enqueue, since both commit together. Messages by any outgoing hook's bot
-- (its replies) never trigger a hook: no loops between hooks. A hook with trigger words only sees
-- messages whose first word is one of them (case-sensitive, like Slack's).
CREATE FUNCTION beacon_enqueue_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "WebhookDelivery" ("id", "hookId", "roomId", "messageId", "event")
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), h.id, n."roomId", n.id,
         jsonb_build_object(
           'type', 'message.created',
           'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'data', jsonb_build_object(
             'hook', jsonb_build_object('id', h.id, 'name', h.name),
             'triggerWord', CASE WHEN cardinality(h."triggerWords") > 0 THEN w.first END,
             'room', jsonb_build_object('id', r.id, 'name', r.name),
             'message', jsonb_build_object(
               'id', n.id, 'seq', n.seq, 'text', n.body, 'replyToId', n."replyToId",
               'createdAt', to_char(n."createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
             'author', jsonb_build_object(
               'id', u.id, 'username', u.username, 'displayName', u."displayName", 'isBot', u."isBot")))
  FROM new_messages n
  JOIN "OutgoingWebhookRoom" hr ON hr."roomId" = n."roomId"
  JOIN "OutgoingWebhook" h ON h.id = hr."hookId" AND h.active
  JOIN "Room" r ON r.id = n."roomId"
  JOIN "User" u ON u.id = n."authorId"
  CROSS JOIN LATERAL (SELECT (regexp_match(n.body, '^\S+'))[1] AS first) w
  WHERE NOT EXISTS (SELECT 1 FROM "OutgoingWebhook" b WHERE b."botUserId" = n."authorId")
    AND (cardinality(h."triggerWords") = 0 OR w.first = ANY (h."triggerWords"));
  RETURN NULL;
END $$;

CREATE TRIGGER "Message_enqueue_webhooks" AFTER INSERT ON "Message"
  REFERENCING NEW TABLE AS new_messages FOR EACH STATEMENT EXECUTE FUNCTION beacon_enqueue_webhooks();
