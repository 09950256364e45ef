-- The staff inbox (issue 16): tasks journeys hand to a person (a large-order call, a 中评 alert, a
-- replenishment call) get a kind, the order they concern, and a life: open → claimed → done (with
-- an outcome) or dismissed (with a reason). Kinds: schemas/src/task-kind.ts.

ALTER TABLE staff_tasks DROP CONSTRAINT staff_tasks_status_check;
ALTER TABLE staff_tasks
  ADD COLUMN kind           text NOT NULL DEFAULT 'other'
                            CHECK (kind IN ('large_order_call', 'review_alert', 'replenishment_call', 'follow_up', 'other')),
  ADD COLUMN order_id       bigint REFERENCES orders (id),
  ADD COLUMN claimed_by     text,
  ADD COLUMN claimed_at     timestamptz,
  ADD COLUMN completed_at   timestamptz,
  ADD COLUMN outcome        text,
  ADD COLUMN dismissed_at   timestamptz,
  ADD COLUMN dismiss_reason text,
  ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now();

-- Nothing ever wrote 'cancelled' or 'done'; should a row carry them, a cancelled task was set aside
-- (dismissed), a done one finished without a recorded outcome.
UPDATE staff_tasks SET dismissed_at = created_at, dismiss_reason = 'cancelled', status = 'dismissed' WHERE status = 'cancelled';
UPDATE staff_tasks SET completed_at = created_at WHERE status = 'done';
-- The templates' task nodes (taskKindOf in schemas/src/task-kind.ts).
UPDATE staff_tasks SET kind = 'large_order_call' WHERE node_id = 'call_buyer';
UPDATE staff_tasks SET kind = 'review_alert' WHERE node_id = 'alert_owner';

ALTER TABLE staff_tasks
  ADD CONSTRAINT staff_tasks_status_check CHECK (status IN ('open', 'claimed', 'done', 'dismissed')),
  ADD CONSTRAINT staff_tasks_claimed_check CHECK (status <> 'claimed' OR (claimed_by IS NOT NULL AND claimed_at IS NOT NULL)),
  ADD CONSTRAINT staff_tasks_done_check CHECK (status <> 'done' OR completed_at IS NOT NULL),
  ADD CONSTRAINT staff_tasks_dismissed_check CHECK (status <> 'dismissed' OR dismissed_at IS NOT NULL);

DROP INDEX staff_tasks_open_idx;
-- The inbox lists by state (and kind), most urgent first; the cursor is (due_at, id).
CREATE INDEX staff_tasks_inbox_idx ON staff_tasks (status, due_at, id);
CREATE INDEX staff_tasks_kind_idx ON staff_tasks (kind, status);

-- Who hears of a new task, per kind: nobody, the shop owner by SMS, or a webhook. Kinds without a
-- row notify nobody.
CREATE TABLE task_notifications (
  kind         text PRIMARY KEY
               CHECK (kind IN ('large_order_call', 'review_alert', 'replenishment_call', 'follow_up', 'other')),
  channel      text NOT NULL CHECK (channel IN ('none', 'sms', 'webhook')),
  webhook_url  text,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  CHECK ((channel = 'webhook') = (webhook_url IS NOT NULL))
);

-- The shop owner's mobile (E.164): where 'sms' task notifications go.
ALTER TABLE shop_settings ADD COLUMN owner_phone text;
