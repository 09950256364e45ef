-- The builder's data pages (issue 18 §5): the imports history names each upload's file, and the
-- opt-out list gets an id to remove an entry by, a reason and who added it (manual additions).
ALTER TABLE imports ADD COLUMN file_name text;

ALTER TABLE opt_outs ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE opt_outs ADD CONSTRAINT opt_outs_id_key UNIQUE (id);
ALTER TABLE opt_outs ADD COLUMN reason text;
ALTER TABLE opt_outs ADD COLUMN created_by text;
CREATE INDEX opt_outs_created_idx ON opt_outs (created_at DESC, id DESC);
