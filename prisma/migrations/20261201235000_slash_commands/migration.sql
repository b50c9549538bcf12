-- Issue 18, item 6: slash commands.

-- "/me waves" is stored as an action message ("text" otherwise).
ALTER TABLE "Message" ADD COLUMN "kind" TEXT NOT NULL DEFAULT 'text';

-- Custom commands: POSTed (signed) to a bot's URL; the secret is sealed with lib/auth/secret-box.ts.
CREATE TABLE "SlashCommand" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "botId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secretSealed" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "usageHint" TEXT NOT NULL DEFAULT '',
    "createdById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SlashCommand_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "SlashCommand_botId_fkey" FOREIGN KEY ("botId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "SlashCommand_name_key" ON "SlashCommand"("name");
CREATE INDEX "SlashCommand_botId_idx" ON "SlashCommand"("botId");
