-- The journey side effects (activities/src/side-effects): what the send path needs beyond 003.

-- Cohorts may already exist (006); written defensively so either order of landing works.
ALTER TABLE run_members ADD COLUMN IF NOT EXISTS cohort text NOT NULL DEFAULT 'root';
CREATE INDEX IF NOT EXISTS run_members_cohort_idx ON run_members (run_id, shard, cohort, customer_id);

-- 'unknown': the provider call for this row may or may not have happened (a crash or timeout
-- mid-call, provider without idempotency). Never re-sent blindly; a receipt or reconciliation settles it.
ALTER TABLE messages DROP CONSTRAINT messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'skipped', 'unknown'));
ALTER TABLE messages
  -- Loop counters as "loop:cycle,loop:cycle" (outermost first); '' outside loops. Evaluations of a
  -- cycle select its rows by prefix, independent of wall-clock time (workflows may skip time).
  ADD COLUMN cycle_path text NOT NULL DEFAULT '',
  ADD COLUMN shard integer,
  ADD COLUMN trigger_key text,
  ADD COLUMN unit_price numeric(10, 4),
  ADD COLUMN billed_segments integer CHECK (billed_segments >= 0),
  ADD COLUMN counts_toward_cap boolean NOT NULL DEFAULT true,
  ADD COLUMN attempts integer NOT NULL DEFAULT 0;
-- Frequency caps count one customer's recent marketing messages.
CREATE INDEX messages_marketing_cap_idx ON messages (customer_id, created_at) WHERE class = 'marketing';

ALTER TABLE coupons ADD COLUMN cycle_path text NOT NULL DEFAULT '';

-- Coupon stock per (journey, node): shared by every shard and run of the journey, so concurrent
-- batches take this row's lock and never issue more than `total`.
CREATE TABLE coupon_stock (
  stock_key  text PRIMARY KEY,
  total      integer NOT NULL CHECK (total >= 0),
  issued     integer NOT NULL DEFAULT 0 CHECK (issued >= 0),
  CHECK (issued <= total)
);

-- Per-member outcomes of the non-SMS actions (coupon skips, tasks, tags, webhook members), keyed
-- like message_key so a retried activity finds what it did.
CREATE TABLE action_ledger (
  action_key   text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('coupon', 'task', 'tag', 'webhook', 'custom')),
  run_id       uuid REFERENCES runs (id),
  node_id      text NOT NULL,
  cycle_path   text NOT NULL DEFAULT '',
  customer_id  bigint NOT NULL,
  status       text NOT NULL CHECK (status IN ('done', 'skipped')),
  skip_reason  text,
  detail       jsonb NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'skipped' OR skip_reason IS NOT NULL)
);

CREATE INDEX action_ledger_run_node_idx ON action_ledger (run_id, node_id);

CREATE TABLE staff_tasks (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_key     text NOT NULL UNIQUE,
  run_id       uuid REFERENCES runs (id),
  node_id      text NOT NULL,
  customer_id  bigint NOT NULL,
  assignee     text NOT NULL CHECK (assignee IN ('customer_service', 'shop_owner')),
  title        text NOT NULL,
  instructions text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  due_at       timestamptz NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX staff_tasks_open_idx ON staff_tasks (assignee, due_at) WHERE status = 'open';

-- One webhook POST per batch of members: the idempotency key sent to the receiver and its outcome.
CREATE TABLE webhook_deliveries (
  delivery_key  text PRIMARY KEY,
  run_id        uuid REFERENCES runs (id),
  node_id       text NOT NULL,
  url           text NOT NULL,
  members       integer NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'done', 'failed')),
  attempts      integer NOT NULL DEFAULT 0,
  http_status   integer,
  error         text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Shop-wide send policy (one row). DOMAIN.md: each customer gets only ~5-6 marketing SMS a year.
CREATE TABLE shop_settings (
  id                      boolean PRIMARY KEY DEFAULT true CHECK (id),
  marketing_cap           integer NOT NULL DEFAULT 6 CHECK (marketing_cap >= 0),
  marketing_cap_days      integer NOT NULL DEFAULT 365 CHECK (marketing_cap_days > 0),
  updated_at              timestamptz NOT NULL DEFAULT now()
);
INSERT INTO shop_settings (id) VALUES (true);

-- The local sink provider: what would have been sent (dev, tests, dry runs).
CREATE TABLE sms_sink (
  message_key  text PRIMARY KEY,
  recipient    text NOT NULL,
  body         text NOT NULL,
  sms_class    text NOT NULL,
  segments     integer NOT NULL,
  sink_id      text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now()
);

-- The worked custom activity (activities/src/custom/examples/award-points.ts).
CREATE TABLE loyalty_points (
  points_key   text PRIMARY KEY,
  customer_id  bigint NOT NULL,
  run_id       uuid REFERENCES runs (id),
  node_id      text NOT NULL,
  points       integer NOT NULL CHECK (points > 0),
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX loyalty_points_customer_idx ON loyalty_points (customer_id);
