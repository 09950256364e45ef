-- Idempotency-Key on campaign writes (run start, publish, schedule creation). One row per
-- (principal, route, key): the request's hash, the resource the request made (written in the same
-- transaction as the resource, so a retry after a crash finds it instead of making another) and,
-- once answered, the answer to replay.

CREATE TABLE idempotency_keys (
  principal      text NOT NULL,              -- the API key's id
  route          text NOT NULL,              -- e.g. 'POST /api/journeys/:id/runs'
  key            text NOT NULL,
  request_hash   text NOT NULL,              -- sha256 of the path parameters and the parsed body
  resource_id    uuid,                       -- the run, version or schedule the request made
  status         integer,                    -- the answer, once given
  response       json,                       -- json, not jsonb: replayed byte for byte
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (principal, route, key)
);

CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- The pending-run sweep looks for runs still pending after a grace period.
CREATE INDEX runs_pending_idx ON runs (created_at) WHERE state = 'pending';
