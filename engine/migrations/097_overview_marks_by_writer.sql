-- The overview's "mark the buyer dirty" triggers (089) ran on every statement of the hot paths: a
-- live event group runs four or five writes to orders and items, an import range several over
-- 20,000 rows, and each ran its trigger over the transition tables (items through a join back to
-- orders). Those two writers know their buyers already, so they mark them once themselves
-- (engine/src/reports/overview-marks.ts) and say so for their transaction with
-- `SET LOCAL huitou.overview_marks = 'by_writer'`; every other write is still marked by the triggers.
-- Under a writer's mark the orders trigger still marks an order's former buyer when an update
-- moves it to another customer (a re-imported order now under another buyer id): only the
-- database sees the old owner, and a fresh import (no updates) pays nothing for it.
CREATE OR REPLACE FUNCTION overview_marked_by_writer() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('huitou.overview_marks', true), '') = 'by_writer'
$$;

CREATE OR REPLACE FUNCTION overview_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF overview_marked_by_writer() THEN
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO overview_dirty
        SELECT DISTINCT o.customer_id FROM old_orders o JOIN new_orders n USING (id) WHERE o.customer_id <> n.customer_id
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO overview_dirty
      SELECT DISTINCT customer_id FROM new_orders WHERE paid_at IS NOT NULL AND status <> 'refunded'
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO overview_dirty
      SELECT DISTINCT customer_id FROM old_orders WHERE paid_at IS NOT NULL AND status <> 'refunded'
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO overview_dirty
      SELECT DISTINCT x.customer_id
      FROM old_orders o JOIN new_orders n USING (id),
           LATERAL (VALUES (o.customer_id), (n.customer_id)) x (customer_id)
      WHERE (o.customer_id, o.status, o.amount, o.paid_at) IS DISTINCT FROM (n.customer_id, n.status, n.amount, n.paid_at)
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION overview_mark_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF overview_marked_by_writer() THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO overview_dirty
      SELECT DISTINCT p.customer_id FROM (SELECT DISTINCT order_id FROM new_items) i JOIN purchases p ON p.id = i.order_id
      ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO overview_dirty
      SELECT DISTINCT p.customer_id FROM (SELECT DISTINCT order_id FROM old_items) i JOIN purchases p ON p.id = i.order_id
      ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO overview_dirty
      SELECT DISTINCT p.customer_id
      FROM (SELECT order_id FROM old_items UNION SELECT order_id FROM new_items) i JOIN purchases p ON p.id = i.order_id
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION overview_mark_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF overview_marked_by_writer() THEN RETURN NULL; END IF;
  INSERT INTO overview_dirty
    SELECT n.id FROM old_customers o JOIN new_customers n USING (id)
    WHERE (o.province, o.city) IS DISTINCT FROM (n.province, n.city)
      AND EXISTS (SELECT 1 FROM overview_customers s WHERE s.customer_id = n.id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
