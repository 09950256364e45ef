-- Coupon pools: codes made by the platform's own coupon tool (导出的券码), imported once; a coupon
-- node that names a pool hands each member one of its codes instead of making an HT… code. A code
-- is claimed by the coupon issued with it (coupon_id), inside the issuing transaction, so a code
-- goes to one member only and a retried batch claims nothing new.
CREATE TABLE coupon_pools (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE coupon_pool_codes (
  code       text PRIMARY KEY,
  pool_id    bigint NOT NULL REFERENCES coupon_pools (id),
  coupon_id  bigint UNIQUE REFERENCES coupons (id),
  added_at   timestamptz NOT NULL DEFAULT now()
);
-- The next free codes of a pool, in a stable order.
CREATE INDEX coupon_pool_codes_free_idx ON coupon_pool_codes (pool_id, code) WHERE coupon_id IS NULL;
