-- Staged batches are transient (deleted when the import ends): not worth compressing. A batch of
-- 1,000 parsed orders is ~500 kB; compressing it cost more than parsing it (bench:imports).
ALTER TABLE import_batches ALTER COLUMN parsed SET STORAGE EXTERNAL;
