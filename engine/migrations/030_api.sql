-- The HTTP API (engine/src/api): keys and roles, publish notes and hashes, scheduled runs.

-- Only a SHA-256 of each key is stored; the key itself is shown once, when it is created.
CREATE TABLE api_keys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  role        text NOT NULL CHECK (role IN ('admin', 'marketer', 'ops', 'engineer', 'viewer')),
  key_hash    text NOT NULL UNIQUE,
  key_prefix  text NOT NULL,                 -- first characters, to recognise a key in lists
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at  timestamptz
);

ALTER TABLE journey_versions
  ADD COLUMN plan_hash text,
  ADD COLUMN notes text NOT NULL DEFAULT '';

ALTER TABLE journeys ADD COLUMN archived_at timestamptz;

-- Runs started "at a time" wait in state 'scheduled' until startDueRuns starts them.
ALTER TABLE runs ADD COLUMN scheduled_for timestamptz;
CREATE INDEX runs_scheduled_idx ON runs (scheduled_for) WHERE state = 'scheduled';
