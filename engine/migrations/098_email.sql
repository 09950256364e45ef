-- E-mail as a second channel (issue 19 §3): the action.email node's ledger, the local sink that
-- stands in for SMTP when none is configured, and the secret that signs unsubscribe links.
-- customers.email exists since 001; opt-outs use opt_outs with channel 'email'.

-- One row per (run, shard or trigger, node, cycle path, customer), claimed before the SMTP call:
-- pending (claimed, not yet offered) -> sending (handed to the SMTP server) -> sent | failed;
-- a 'sending' row a killed worker left behind becomes 'unknown' and is never offered again.
CREATE TABLE email_messages (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_key       text NOT NULL UNIQUE,
  run_id            uuid REFERENCES runs (id),
  node_id           text NOT NULL,
  cycle_path        text NOT NULL DEFAULT '',
  customer_id       bigint NOT NULL,
  class             text NOT NULL CHECK (class IN ('marketing', 'transactional')),
  recipient         text,
  subject           text,
  body              text,
  -- RFC 5322 Message-ID derived from message_key: the same on every attempt, so a receiver can dedupe.
  smtp_message_id   text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'unknown')),
  skip_reason       text,
  counts_toward_cap boolean NOT NULL DEFAULT true,
  smtp_response     text,
  created_at        timestamptz NOT NULL,
  sent_at           timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'skipped' OR skip_reason IS NOT NULL)
);
CREATE INDEX email_messages_run_node_idx ON email_messages (run_id, node_id);
-- The e-mail marketing cap counts a customer's recent marketing e-mails.
CREATE INDEX email_messages_cap_idx ON email_messages (customer_id, created_at) WHERE class = 'marketing';

-- What would have been sent, when no SMTP server is configured (dev, demos, tests).
CREATE TABLE email_sink (
  smtp_message_id text PRIMARY KEY,
  message_key     text NOT NULL,
  sender          text NOT NULL,
  recipient       text NOT NULL,
  subject         text NOT NULL,
  body            text NOT NULL,
  headers         jsonb NOT NULL DEFAULT '{}',
  created_at      timestamptz NOT NULL DEFAULT now()
);

-- The HMAC key of unsubscribe links (one row), made here so every engine process shares it.
CREATE TABLE email_secrets (
  id         integer PRIMARY KEY CHECK (id = 1),
  unsubscribe_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO email_secrets (id, unsubscribe_key)
VALUES (1, replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
