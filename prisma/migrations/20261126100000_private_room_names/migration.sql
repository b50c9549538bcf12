-- Channel names are unique among public channels only (and DM keys stay unique: one DM per set of
-- people). A name unique across private rooms too let anyone test whether a private room of that
-- name exists: creating a room with its name answered 409. A partial unique index is not
-- expressible in schema.prisma: keep it when writing later migrations with `prisma migrate diff`,
-- which would otherwise propose dropping it.
DROP INDEX "Room_nameKey_key";
CREATE UNIQUE INDEX "Room_nameKey_shared_key" ON "Room" ("nameKey") WHERE NOT "isPrivate" OR "kind" = 'dm';
