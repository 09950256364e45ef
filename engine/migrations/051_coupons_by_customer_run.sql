-- The SMS send path reads "the latest coupon this run issued this customer" for {coupon.*}, one
-- lookup per recipient. With only (customer_id, issued_at) and (run_id, node_id), Postgres
-- intersected bitmaps of the whole run's coupons per recipient: quadratic in a run's size (minutes
-- per batch at 1M members). This index answers each lookup directly, newest first.
CREATE INDEX coupons_customer_run_idx ON coupons (customer_id, run_id, issued_at DESC, id DESC);
