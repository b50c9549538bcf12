-- Issue 18, item 1: what a bot does, in a sentence or two (shown on its profile card). Empty for people.
ALTER TABLE "User" ADD COLUMN "botDescription" TEXT NOT NULL DEFAULT '';
