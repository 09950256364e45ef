-- Imports that neither freeze nor lie (engine/src/imports/run-import.ts, sweep.ts).
-- Parsed rows are staged here batch by batch, each batch its own short statement, so an upload no
-- longer holds a transaction (on PGlite: the one backend) for as long as the client takes to send
-- it; the rows are applied to customers/orders in one short transaction once the file is read.
CREATE TABLE import_batches (
  import_id  uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  batch_no   integer NOT NULL,
  parsed     jsonb NOT NULL,     -- [{line, row}], the kind's parsed rows (JSON-safe: strings, arrays)
  PRIMARY KEY (import_id, batch_no)
);

-- Who runs an import and when it last showed life: an import whose owner stopped renewing the
-- lease was interrupted (a crash), and the sweep marks it failed (docs/api.md § CSV imports).
ALTER TABLE imports ADD COLUMN owner text;
ALTER TABLE imports ADD COLUMN heartbeat_at timestamptz;
CREATE INDEX imports_running_idx ON imports (heartbeat_at) WHERE state = 'running';
