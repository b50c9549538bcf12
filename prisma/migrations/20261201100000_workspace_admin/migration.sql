-- Running Beacon for a team: workspace roles, deactivation, workspace settings, invites, room
-- moderation (bans, read-only, archive, slow mode, pins, moderator deletes), password reset links
-- and the audit log.

-- Workspace roles: owner > admin > moderator > member > guest.
ALTER TABLE "User" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'member';
ALTER TABLE "User" ADD CONSTRAINT "User_role_check"
  CHECK ("role" IN ('owner', 'admin', 'moderator', 'member', 'guest'));
ALTER TABLE "User" ADD COLUMN "deactivatedAt" TIMESTAMP(3);
CREATE INDEX "User_role_idx" ON "User"("role");

-- An existing server gets an owner: its oldest account.
UPDATE "User" SET "role" = 'owner'
WHERE id = (SELECT id FROM "User" ORDER BY "createdAt", id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM "User" WHERE "role" = 'owner');

-- One row of workspace settings (id is always 1).
CREATE TABLE "Workspace" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "name" TEXT NOT NULL DEFAULT 'Beacon',
    "logoText" TEXT NOT NULL DEFAULT '',
    -- open | invite | closed
    "registration" TEXT NOT NULL DEFAULT 'open',
    "defaultRoomIds" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Workspace_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Workspace_single_row" CHECK ("id" = 1),
    CONSTRAINT "Workspace_registration_check" CHECK ("registration" IN ('open', 'invite', 'closed'))
);
INSERT INTO "Workspace" ("id") VALUES (1) ON CONFLICT DO NOTHING;

-- Invite links: workspace invites (a role to grant and rooms to join) and room invites (one private room).
CREATE TABLE "Invite" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    -- The secret in the link (random, url-safe)
    "token" TEXT NOT NULL,
    -- workspace | room
    "kind" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "roomIds" UUID[] NOT NULL DEFAULT ARRAY[]::UUID[],
    "createdById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3),
    "maxUses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "revokedAt" TIMESTAMP(3),
    CONSTRAINT "Invite_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "Invite_kind_check" CHECK ("kind" IN ('workspace', 'room')),
    CONSTRAINT "Invite_role_check" CHECK ("role" IN ('admin', 'moderator', 'member', 'guest')),
    CONSTRAINT "Invite_uses_check" CHECK ("maxUses" IS NULL OR "uses" <= "maxUses"),
    CONSTRAINT "Invite_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "Invite_token_key" ON "Invite"("token");
CREATE INDEX "Invite_createdAt_idx" ON "Invite"("createdAt");

-- Room moderation.
ALTER TABLE "Room" ADD COLUMN "description" TEXT NOT NULL DEFAULT '';
-- Announcement room: only moderators post
ALTER TABLE "Room" ADD COLUMN "readOnly" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Room" ADD COLUMN "archivedAt" TIMESTAMP(3);
-- One message per N seconds per member (0: off)
ALTER TABLE "Room" ADD COLUMN "slowModeSeconds" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "Message" ADD COLUMN "pinnedAt" TIMESTAMP(3);
ALTER TABLE "Message" ADD COLUMN "pinnedById" UUID;
-- Set when someone other than the author (a moderator) deleted the message
ALTER TABLE "Message" ADD COLUMN "deletedById" UUID;
CREATE INDEX "Message_pinned_idx" ON "Message"("roomId", "pinnedAt") WHERE "pinnedAt" IS NOT NULL;

CREATE TABLE "RoomBan" (
    "roomId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "bannedById" UUID NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RoomBan_pkey" PRIMARY KEY ("roomId", "userId"),
    CONSTRAINT "RoomBan_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE,
    CONSTRAINT "RoomBan_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE
);
CREATE INDEX "RoomBan_userId_idx" ON "RoomBan"("userId");

-- One-time password reset links made by an admin (there is no e-mail): only the hash is stored.
CREATE TABLE "PasswordReset" (
    "tokenHash" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    CONSTRAINT "PasswordReset_pkey" PRIMARY KEY ("tokenHash"),
    CONSTRAINT "PasswordReset_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE
);
CREATE INDEX "PasswordReset_userId_idx" ON "PasswordReset"("userId");

-- Every admin and moderator action. Append-only: nothing in Beacon updates or deletes these rows.
CREATE TABLE "AuditLog" (
    "id" BIGSERIAL NOT NULL,
    -- null: the command line (npm run admin)
    "actorId" UUID,
    "actorName" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    -- user | room | message | invite | workspace
    "targetType" TEXT NOT NULL,
    "targetId" TEXT,
    "targetLabel" TEXT NOT NULL DEFAULT '',
    "detail" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "AuditLog_createdAt_idx" ON "AuditLog"("createdAt");

CREATE FUNCTION "AuditLog_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER "AuditLog_no_update_or_delete" BEFORE UPDATE OR DELETE ON "AuditLog"
  FOR EACH ROW EXECUTE FUNCTION "AuditLog_append_only"();
