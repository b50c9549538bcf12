-- The search index takes new entries into a pending list, and the insert that finds the list over
-- its limit merges it into the index inside its own transaction. With the default 4 MB that is a
-- 60–90 ms stall on one send about every 15,000 messages (measured: 60,000 sequential inserts
-- stalled at 15,550, 31,103 and 46,655). At 256 kB the merge comes about every 1,000 messages
-- and stays under about 10 ms. (fastupdate = off instead made every insert 60% slower and wrote
-- 10× the WAL.)
ALTER INDEX "Message_search_vector_idx" SET (gin_pending_list_limit = 256);
