-- Referral coupons (分享券): one code a buyer may forward. Paid orders of other customers carrying
-- it are recorded against the coupon and its owner, the referrer; the owner's own use redeems it as
-- any coupon. Each order counts once.
ALTER TABLE coupons ADD COLUMN referral boolean NOT NULL DEFAULT false;

CREATE TABLE coupon_referrals (
  order_id     bigint PRIMARY KEY REFERENCES orders (id),
  coupon_id    bigint NOT NULL REFERENCES coupons (id),
  referrer_id  bigint NOT NULL REFERENCES customers (id),
  customer_id  bigint NOT NULL REFERENCES customers (id),
  redeemed_at  timestamptz NOT NULL
);
CREATE INDEX coupon_referrals_coupon_idx ON coupon_referrals (coupon_id);
CREATE INDEX coupon_referrals_referrer_idx ON coupon_referrals (referrer_id);

CREATE OR REPLACE FUNCTION huitou_redeem_coupon() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The buyer's own coupon, the first paid order that used it; a replayed import or event is a no-op.
  UPDATE coupons SET redeemed_at = NEW.paid_at, redeemed_order_id = NEW.id
  WHERE code = NEW.coupon_code AND customer_id = NEW.customer_id AND redeemed_order_id IS NULL;
  -- Someone else's referral code: attributed to its owner.
  INSERT INTO coupon_referrals (order_id, coupon_id, referrer_id, customer_id, redeemed_at)
  SELECT NEW.id, k.id, k.customer_id, NEW.customer_id, NEW.paid_at
  FROM coupons k WHERE k.code = NEW.coupon_code AND k.referral AND k.customer_id <> NEW.customer_id
  ON CONFLICT (order_id) DO NOTHING;
  RETURN NULL;
END $$;
