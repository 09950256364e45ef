-- Evaluation results per checkpoint and the audit log of who did what.

CREATE TABLE evaluations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Deterministic (run, checkpoint, node, cycle): a retried metrics activity overwrites, never duplicates.
  evaluation_key  text NOT NULL UNIQUE,
  run_id          uuid NOT NULL REFERENCES runs (id),
  checkpoint      text NOT NULL,               -- e.g. day2, day10, day30
  node_id         text,
  cycle           integer NOT NULL DEFAULT 0,
  window_start    timestamptz NOT NULL,
  window_end      timestamptz NOT NULL,
  treatment       jsonb NOT NULL,              -- members, buyers, sales, cost... of the stimulated side
  holdout         jsonb NOT NULL,              -- the same for the holdout
  lift            double precision,
  p_value         double precision,
  significant     boolean,
  evaluated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (window_end >= window_start)
);

CREATE INDEX evaluations_run_idx ON evaluations (run_id, checkpoint);

CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  actor        text NOT NULL,                  -- user id, or 'system'
  action       text NOT NULL,                  -- journey.publish, run.pause, run.resume, segment.preview...
  entity_type  text NOT NULL,
  entity_id    text,
  details      jsonb NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, at);
