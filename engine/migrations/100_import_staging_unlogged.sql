-- Staged batches are transient (run-import.ts deletes them when the import ends, the sweep when it
-- was interrupted): they skip the write-ahead log. A database crash empties the table, and the
-- import it belonged to failed with that crash anyway. A 1M-order Taobao report stages ~250 MB
-- that no longer goes through the WAL (bench:imports).
ALTER TABLE import_batches SET UNLOGGED;
