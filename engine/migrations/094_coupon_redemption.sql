-- A coupon is redeemed when an order carries its code: orders keep the code they were paid with
-- (an import's coupon_code column, an order event's couponCode), and paying such an order marks
-- the buyer's coupon redeemed by it. Reports already charge a redeemed coupon's face value to the
-- run's cost (activities/src/evaluation/figures.ts), so ROI now includes real coupon spend.
ALTER TABLE orders ADD COLUMN coupon_code text;

CREATE FUNCTION huitou_redeem_coupon() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The buyer's own coupon, the first paid order that used it; a replayed import or event is a no-op.
  UPDATE coupons SET redeemed_at = NEW.paid_at, redeemed_order_id = NEW.id
  WHERE code = NEW.coupon_code AND customer_id = NEW.customer_id AND redeemed_order_id IS NULL;
  RETURN NULL;
END $$;

CREATE TRIGGER orders_redeem_coupon
  AFTER INSERT OR UPDATE OF coupon_code, paid_at ON orders
  FOR EACH ROW WHEN (NEW.coupon_code IS NOT NULL AND NEW.paid_at IS NOT NULL)
  EXECUTE FUNCTION huitou_redeem_coupon();
