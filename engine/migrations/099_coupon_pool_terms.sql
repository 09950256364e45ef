-- A coupon pool's terms: the face value of its codes and how long an issued code is valid (days
-- after issue, or a fixed expiry), set when the pool is imported. A coupon node that names the pool
-- issues its codes with these terms, so the SMS ({coupon.value}, {coupon.expires}) and the reports'
-- coupon cost say what the platform will honour. Pools imported before this carry none (NULLs):
-- their codes take the node's own value and validity, and their next import may set the terms.
ALTER TABLE coupon_pools
  ADD COLUMN value      numeric(12, 2) CHECK (value > 0),
  ADD COLUMN valid_days int CHECK (valid_days BETWEEN 1 AND 3650),
  ADD COLUMN expires_at timestamptz,
  ADD CONSTRAINT coupon_pools_terms CHECK (
    (value IS NULL AND valid_days IS NULL AND expires_at IS NULL)
    OR (value IS NOT NULL AND num_nonnulls(valid_days, expires_at) = 1));
