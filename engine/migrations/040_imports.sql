-- CSV imports of customers and orders (engine/src/api/imports): one row per import, written when
-- it starts and completed with its outcome. Live progress is kept in the engine's memory.
CREATE TABLE imports (
  id           uuid PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('customers', 'orders')),
  state        text NOT NULL CHECK (state IN ('running', 'succeeded', 'rejected', 'failed')),
  actor        text NOT NULL,
  rows_read    integer NOT NULL DEFAULT 0,
  rows_failed  integer NOT NULL DEFAULT 0,
  inserted     integer NOT NULL DEFAULT 0,
  updated      integer NOT NULL DEFAULT 0,
  error_count  integer NOT NULL DEFAULT 0,
  errors       jsonb NOT NULL DEFAULT '[]',   -- the first 100 row errors: {line, column, message}
  message      text,                          -- why a failed import stopped (oversize, aborted upload)
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);

CREATE INDEX imports_started_idx ON imports (started_at DESC);
