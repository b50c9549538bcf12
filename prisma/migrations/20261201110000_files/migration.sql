-- Files, images and avatars (issue #16): uploaded files and their message attachment, user avatars.
ALTER TABLE "User" ADD COLUMN "avatarKey" TEXT;
ALTER TABLE "User" ADD COLUMN "avatarVersion" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "File" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "uploaderId" UUID NOT NULL,
    "roomId" UUID NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'uploading',
    "name" TEXT NOT NULL,
    "size" BIGINT NOT NULL DEFAULT 0,
    "storedBytes" BIGINT NOT NULL DEFAULT 0,
    "type" TEXT NOT NULL DEFAULT 'application/octet-stream',
    "kind" TEXT NOT NULL DEFAULT 'file',
    "width" INTEGER,
    "height" INTEGER,
    "messageId" UUID,
    "seq" INTEGER,
    "position" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "File_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "File_messageId_idx" ON "File"("messageId");
CREATE INDEX "File_roomId_seq_position_idx" ON "File"("roomId", "seq", "position");
CREATE INDEX "File_uploaderId_idx" ON "File"("uploaderId");
CREATE INDEX "File_state_createdAt_idx" ON "File"("state", "createdAt");

ALTER TABLE "File" ADD CONSTRAINT "File_uploaderId_fkey" FOREIGN KEY ("uploaderId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "File" ADD CONSTRAINT "File_roomId_fkey" FOREIGN KEY ("roomId") REFERENCES "Room"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "File" ADD CONSTRAINT "File_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Workspace file settings (admin console): per-file limit under the MAX_UPLOAD_MB ceiling, per-user quota.
ALTER TABLE "Workspace" ADD COLUMN "maxUploadMb" INTEGER;
ALTER TABLE "Workspace" ADD COLUMN "userQuotaMb" INTEGER;

-- File names are searchable like the text: the names of a message's files are stored with it (set by
-- the insert that attaches them) and are part of its search vector. Recreating the generated column
-- rebuilds its GIN index.
ALTER TABLE "Message" ADD COLUMN "fileNames" TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS "Message_search_vector_idx";
ALTER TABLE "Message" DROP COLUMN "search_vector";
ALTER TABLE "Message" ADD COLUMN "search_vector" tsvector
  GENERATED ALWAYS AS (to_tsvector('english', "body" || ' ' || "fileNames")) STORED;
CREATE INDEX "Message_search_vector_idx" ON "Message" USING GIN ("search_vector") WITH (gin_pending_list_limit = 256);
