-- Checkpoint figures read each member's ledger rows of the run (one lookup per member). With only
-- (customer_id, created_at) and (run_id, node_id), Postgres intersected a bitmap of the whole run's
-- ledger with each member's rows, quadratic in the run's size (minutes per checkpoint at 1M
-- members). This index answers each lookup directly; it replaces (customer_id, created_at), whose
-- prefix it keeps (the frequency cap has its own partial index).
CREATE INDEX messages_customer_run_idx ON messages (customer_id, run_id, created_at);
DROP INDEX messages_customer_idx;
