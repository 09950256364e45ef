-- Triggered cohorts (issue 16): entry events of one journey that arrive in the same second share
-- one cohort workflow and one run (runs.trigger_key 'cohort:<bucket>:<lane>'); each member keeps its
-- own trigger key and triggering order, so per-member steps (an SMS naming the order, a staff task
-- about it, a trigger_order condition) use the member's, not the run's.

ALTER TABLE run_members
  ADD COLUMN trigger_key      text,
  ADD COLUMN trigger_order_id bigint;

-- One row per (journey, trigger key) ever routed into a cohort: the router claims the key for a
-- cohort workflow in the statement that routes the batch (a key claimed before is a duplicate, not
-- admitted again), the cohort's admission fills the run and the customer. Later events for the key
-- are routed to workflow_id; admitted_at NULL: claimed, not admitted yet (or not admitted: rejected
-- by the entry filter, see admitted).
CREATE TABLE trigger_entries (
  journey_id   uuid NOT NULL REFERENCES journeys (id),
  trigger_key  text NOT NULL,
  workflow_id  text NOT NULL,
  run_id       uuid REFERENCES runs (id) ON DELETE CASCADE,
  customer_id  bigint,
  admitted     boolean,
  claimed_at   timestamptz NOT NULL DEFAULT now(),
  admitted_at  timestamptz,
  PRIMARY KEY (journey_id, trigger_key)
);

CREATE INDEX trigger_entries_run_idx ON trigger_entries (run_id) WHERE run_id IS NOT NULL;
CREATE INDEX run_members_trigger_key_idx ON run_members (run_id, trigger_key) WHERE trigger_key IS NOT NULL;
