-- The lift's 95% interval next to its p-value (activities/src/evaluation), and the arms' derived
-- metrics live in the treatment/holdout jsonb beside the raw sums.
ALTER TABLE evaluations
  ADD COLUMN lift_ci_low double precision,
  ADD COLUMN lift_ci_high double precision,
  ADD COLUMN shard integer,
  ADD COLUMN cohort text;
