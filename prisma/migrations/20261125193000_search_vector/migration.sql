-- Search: a stored tsvector (computed once per write, not per search) with its GIN index, and a
-- (createdAt, id) index so the planner can walk newest-first and stop early for common words,
-- or use the GIN index for rare ones. Neither is expressible in schema.prisma: keep them when
-- writing later migrations with `prisma migrate diff`, which would otherwise propose dropping them.
DROP INDEX IF EXISTS "Message_search_idx";
ALTER TABLE "Message" ADD COLUMN "search_vector" tsvector
  GENERATED ALWAYS AS (to_tsvector('english', "body")) STORED;
CREATE INDEX "Message_search_vector_idx" ON "Message" USING GIN ("search_vector");
CREATE INDEX "Message_createdAt_id_idx" ON "Message" ("createdAt" DESC, "id" DESC);
