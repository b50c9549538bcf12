-- Issue 19, item 8: the language chosen in Settings, kept on the account so it follows the person
-- to every device ("" = follow the browser's Accept-Language).
ALTER TABLE "User" ADD COLUMN "locale" TEXT NOT NULL DEFAULT '';
