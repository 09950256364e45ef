-- Cohorts (activities/src/contract.ts): members of one shard that travel together through the
-- graph. A snapshot puts every member in its shard's starting cohort; a split re-tags members with
-- the child cohort ids the workflow chose, so each activity addresses its set with one index range.

ALTER TABLE run_members ADD COLUMN cohort text NOT NULL DEFAULT 'root';

CREATE INDEX run_members_cohort_idx ON run_members (run_id, shard, cohort, customer_id);
