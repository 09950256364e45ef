-- Side effects and their guards: the messages ledger, coupons, inbound events, opt-outs, suppression.

CREATE TABLE messages (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Deterministic key (run, shard or trigger key, node, cycle, customer): a retried send never sends twice.
  message_key          text NOT NULL UNIQUE,
  run_id               uuid REFERENCES runs (id),
  node_id              text,
  cycle                integer NOT NULL DEFAULT 0,
  customer_id          bigint REFERENCES customers (id),
  channel              text NOT NULL DEFAULT 'sms',
  class                text NOT NULL CHECK (class IN ('marketing', 'notification')),
  recipient            text,                   -- phone number or address actually used
  body                 text,
  status               text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'skipped')),
  skip_reason          text,                   -- opted_out, frequency_cap, quiet_hours, suppressed, no_phone, paused...
  provider             text,
  provider_message_id  text,
  provider_request_id  text,
  segments             integer CHECK (segments >= 0),
  cost                 numeric(12, 4) CHECK (cost >= 0),
  error_code           text,
  error_message        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  delivered_at         timestamptz,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'skipped' OR skip_reason IS NOT NULL)
);

-- Frequency caps count a customer's recent messages.
CREATE INDEX messages_customer_idx ON messages (customer_id, created_at);
-- Delivery receipts arrive by provider message id.
CREATE INDEX messages_provider_idx ON messages (provider, provider_message_id) WHERE provider_message_id IS NOT NULL;
-- Reports per run and node.
CREATE INDEX messages_run_node_idx ON messages (run_id, node_id);

CREATE TABLE coupons (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issue_key          text NOT NULL UNIQUE,     -- deterministic like message_key: issued exactly once
  code               text NOT NULL UNIQUE,
  template           text NOT NULL,            -- which coupon definition was issued
  customer_id        bigint NOT NULL REFERENCES customers (id),
  run_id             uuid REFERENCES runs (id),
  node_id            text,
  value              numeric(12, 2) NOT NULL CHECK (value > 0),
  min_spend          numeric(12, 2) NOT NULL DEFAULT 0 CHECK (min_spend >= 0),
  issued_at          timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz,
  redeemed_at        timestamptz,
  redeemed_order_id  bigint REFERENCES orders (id)
);

CREATE INDEX coupons_customer_idx ON coupons (customer_id, issued_at);
CREATE INDEX coupons_run_idx ON coupons (run_id, node_id);

CREATE TABLE events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,       -- duplicates from the shop's webhooks collapse here
  type             text NOT NULL,              -- order.created, order.paid, order.closed, review.created...
  customer_id      bigint REFERENCES customers (id),
  order_id         bigint REFERENCES orders (id),
  payload          jsonb NOT NULL DEFAULT '{}',
  occurred_at      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL DEFAULT now(),
  processed_at     timestamptz
);

CREATE INDEX events_unprocessed_idx ON events (received_at) WHERE processed_at IS NULL;
CREATE INDEX events_type_idx ON events (type, occurred_at);

-- Opted-out numbers never receive marketing again (DOMAIN.md § SMS facts).
CREATE TABLE opt_outs (
  recipient    text NOT NULL,                  -- phone number (E.164) or address
  channel      text NOT NULL DEFAULT 'sms',
  customer_id  bigint REFERENCES customers (id),
  source       text,                           -- reply keyword, customer service, import...
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (recipient, channel)
);

CREATE INDEX opt_outs_customer_idx ON opt_outs (customer_id);

-- Other reasons not to contact someone (complaints, manual blocks), possibly temporary.
CREATE TABLE suppressions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id  bigint REFERENCES customers (id),
  recipient    text,
  reason       text NOT NULL,
  until        timestamptz,                    -- null: permanent
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (customer_id IS NOT NULL OR recipient IS NOT NULL)
);

CREATE INDEX suppressions_customer_idx ON suppressions (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX suppressions_recipient_idx ON suppressions (recipient) WHERE recipient IS NOT NULL;
