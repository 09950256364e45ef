-- Test sends (POST /api/journeys/:id/test-send): a journey's messages rendered for one customer go
-- to colleagues' numbers before launch. They live apart from `messages`, so no report, frequency
-- cap, opt-out check or message-key dedup of real sends ever sees them.
ALTER TABLE shop_settings ADD COLUMN test_phones text[] NOT NULL DEFAULT '{}';

CREATE TABLE test_sends (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- One request's sends share a batch (its idempotency resource); the key is the provider's OutId.
  batch_id             uuid NOT NULL,
  message_key          text NOT NULL UNIQUE,
  journey_id           uuid NOT NULL REFERENCES journeys (id),
  customer_id          bigint NOT NULL REFERENCES customers (id),
  node_id              text NOT NULL,
  recipient            text NOT NULL,
  body                 text NOT NULL,
  segments             integer NOT NULL CHECK (segments >= 0),
  status               text NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  provider             text,
  provider_message_id  text,
  error_message        text,
  requested_by         text NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX test_sends_batch_idx ON test_sends (batch_id, id);
