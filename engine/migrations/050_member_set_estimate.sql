-- A member set (engine/src/db/member-set.ts) as a function the planner sizes as a shard. A cohort
-- is a value Postgres has no statistics for (new ids after every split, a run just snapshotted),
-- so a plain WHERE on run_members is estimated at one row, and segment queries over it pick
-- nested loops that rescan per-customer aggregates for every member: quadratic, minutes for a
-- 2,000-member cohort. Sized at 5,000 rows (the default shard), they hash-join in linear time.
-- Custom plans per call, so the index on (run_id, shard, cohort) serves whichever filters are set.
-- `p_cohort_like`: also the cohorts split off `p_cohort` (a LIKE pattern, e.g. 'root/a.b/%').
CREATE FUNCTION huitou_run_members(p_run uuid, p_shard int, p_cohort text, p_cohort_like text, p_holdout boolean, p_active_only boolean)
RETURNS TABLE (customer_id bigint, holdout boolean)
LANGUAGE plpgsql STABLE ROWS 5000
SET plan_cache_mode = force_custom_plan
AS $$
BEGIN
  RETURN QUERY
    SELECT m.customer_id, m.holdout FROM run_members m
    WHERE m.run_id = p_run
      AND (p_shard IS NULL OR m.shard = p_shard)
      AND (p_cohort IS NULL OR m.cohort = p_cohort OR (p_cohort_like IS NOT NULL AND m.cohort LIKE p_cohort_like ESCAPE '\'))
      AND (p_holdout IS NULL OR m.holdout = p_holdout)
      AND (NOT p_active_only OR m.exited_at IS NULL);
END
$$;
