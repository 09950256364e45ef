-- Journeys, their immutable published versions, runs and run members.

CREATE TABLE journeys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('audience', 'triggered')),
  -- Journey-level state that activities re-check before any side effect (pause/drain/stop).
  state       text NOT NULL DEFAULT 'draft',
  draft       jsonb,                           -- the graph being edited
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE journey_versions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id    uuid NOT NULL REFERENCES journeys (id),
  version       integer NOT NULL CHECK (version > 0),
  graph         jsonb NOT NULL,
  plan          jsonb NOT NULL,                -- the compiled ExecutionPlan
  published_by  text,
  published_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (journey_id, version)
);

-- Runs pin their version, so a published version must never change.
CREATE FUNCTION journey_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'journey versions are immutable (version %)', OLD.id;
END
$$;

CREATE TRIGGER journey_versions_no_update
  BEFORE UPDATE ON journey_versions
  FOR EACH ROW EXECUTE FUNCTION journey_versions_immutable();

CREATE TABLE runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id    uuid NOT NULL REFERENCES journeys (id),
  version_id    uuid NOT NULL REFERENCES journey_versions (id),
  kind          text NOT NULL CHECK (kind IN ('audience', 'triggered')),
  state         text NOT NULL DEFAULT 'pending',
  trigger_key   text,                          -- triggered runs: e.g. the order id
  workflow_id   text,
  segment       jsonb,                         -- audience runs: the segment that was snapshotted
  entered_at    timestamptz,                   -- the instant the audience entered
  holdout_ratio double precision NOT NULL DEFAULT 0 CHECK (holdout_ratio >= 0 AND holdout_ratio < 1),
  shard_size    integer CHECK (shard_size > 0),
  member_count  integer,
  shard_count   integer,
  created_at    timestamptz NOT NULL DEFAULT now(),
  started_at    timestamptz,
  ended_at      timestamptz,
  UNIQUE (journey_id, trigger_key)
);

CREATE INDEX runs_journey_idx ON runs (journey_id, created_at);

CREATE TABLE run_members (
  run_id       uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  -- No foreign key to customers: snapshots select members from customers in the same statement,
  -- and a per-row check would double the cost of a million-member snapshot.
  customer_id  bigint NOT NULL,
  holdout      boolean NOT NULL,               -- true: gets nothing, measures natural repurchase
  shard        integer NOT NULL CHECK (shard >= 0),
  position     text,                           -- node the member last reached
  entered_at   timestamptz NOT NULL DEFAULT now(),
  exited_at    timestamptz,
  exit_reason  text,                           -- e.g. converted, opted_out, stopped, completed
  PRIMARY KEY (run_id, customer_id)
);

-- A shard workflow reads its members by (run, shard) in customer order (keyset pages).
CREATE INDEX run_members_shard_idx ON run_members (run_id, shard, customer_id);
CREATE INDEX run_members_customer_idx ON run_members (customer_id);
