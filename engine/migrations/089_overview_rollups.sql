-- The shop overview's precomputation (issue 18: the page within 2 s at 1M customers / 5M orders).
-- Per-buyer tables (each buyer's purchase days, category days, months and summary) and small
-- aggregates summed from them; engine/src/reports/overview-rollups.ts fills and refreshes them.
-- Writes to orders, order_items and customers' address only mark the customer dirty (statement
-- triggers over the transition tables: cheap on a 1M-row import); the next overview (or an
-- explicit refresh) recomputes the dirty customers' rows and applies the difference to the
-- aggregates. Days and months are local to the time zone recorded in overview_rollup_state.

CREATE TABLE overview_dirty (customer_id bigint PRIMARY KEY);

CREATE TABLE overview_rollup_state (
  one        boolean PRIMARY KEY DEFAULT true CHECK (one),
  time_zone  text NOT NULL,
  built_at   timestamptz NOT NULL
);

-- Each buyer: purchase count and spend, first/second/last payment, and the spend up to the end of
-- the first purchase's month +0..+3 (lifetime value by cohort). Retention counts second - first.
CREATE TABLE overview_customers (
  customer_id bigint PRIMARY KEY,
  orders      int NOT NULL,
  spend       numeric NOT NULL,
  mean        numeric NOT NULL,
  first_at    timestamptz NOT NULL,
  second_at   timestamptz,
  last_at     timestamptz NOT NULL,
  first_day   date NOT NULL,
  last_day    date NOT NULL,
  ltv         numeric[] NOT NULL
);
-- RFM's quantiles are read off these in order (an offset, not a sort of every buyer); the last
-- one also covers the pass that sorts buyers into groups.
CREATE INDEX overview_customers_orders_idx ON overview_customers (orders);
CREATE INDEX overview_customers_spend_idx ON overview_customers (spend);
CREATE INDEX overview_customers_mean_idx ON overview_customers (mean);
CREATE INDEX overview_customers_last_day_idx ON overview_customers (last_day) INCLUDE (orders, spend, mean);

-- Each buyer's local purchase days, with the previous one ('-infinity': the first): the buyers of
-- a range are its rows whose previous day is before the range. Address copied for the geo figures.
CREATE TABLE overview_buyer_days (
  customer_id bigint NOT NULL,
  day         date NOT NULL,
  prev_day    date NOT NULL,
  orders      int NOT NULL,
  sales       numeric NOT NULL,
  province    text,
  city        text,
  PRIMARY KEY (customer_id, day)
);
CREATE INDEX overview_buyer_days_day_idx ON overview_buyer_days (day) INCLUDE (prev_day, sales, province, city);

-- The same per category (items' amounts), previous day of a purchase in that category.
CREATE TABLE overview_buyer_categories (
  customer_id bigint NOT NULL,
  category    text NOT NULL,
  day         date NOT NULL,
  prev_day    date NOT NULL,
  sales       numeric NOT NULL,
  PRIMARY KEY (customer_id, category, day)
);

-- Each buyer's local purchase months and the months to the next one (1..3; 0: none within 3).
CREATE TABLE overview_buyer_months (
  customer_id bigint NOT NULL,
  month       date NOT NULL,
  gap         smallint NOT NULL,
  PRIMARY KEY (customer_id, month)
);

-- Aggregates (sums of the per-buyer rows; a row goes when its buyers reach 0).
CREATE TABLE overview_days (
  day       date NOT NULL,
  prev_day  date NOT NULL,
  buyers    int NOT NULL,
  orders    int NOT NULL,
  sales     numeric NOT NULL,
  PRIMARY KEY (day, prev_day)
);

CREATE TABLE overview_day_categories (
  day       date NOT NULL,
  category  text NOT NULL,
  prev_day  date NOT NULL,
  buyers    int NOT NULL,
  sales     numeric NOT NULL,
  PRIMARY KEY (day, category, prev_day)
);

CREATE TABLE overview_months (
  month   date NOT NULL,
  gap     smallint NOT NULL,
  buyers  int NOT NULL,
  PRIMARY KEY (month, gap)
);

-- By local day of the first purchase: first-time buyers, how many bought again within 1/3/7/30
-- days, and their spend to the end of the first month +0..+3.
CREATE TABLE overview_first_days (
  day     date PRIMARY KEY,
  buyers  int NOT NULL,
  d1      int NOT NULL,
  d3      int NOT NULL,
  d7      int NOT NULL,
  d30     int NOT NULL,
  s0      numeric NOT NULL,
  s1      numeric NOT NULL,
  s2      numeric NOT NULL,
  s3      numeric NOT NULL
);

-- Rows whose buyers reached 0 on a refresh, found without scanning the aggregate (then deleted).
CREATE INDEX overview_days_empty_idx ON overview_days (day) WHERE buyers = 0;
CREATE INDEX overview_day_categories_empty_idx ON overview_day_categories (day) WHERE buyers = 0;
CREATE INDEX overview_months_empty_idx ON overview_months (month) WHERE buyers = 0;
CREATE INDEX overview_first_days_empty_idx ON overview_first_days (day) WHERE buyers = 0;

CREATE FUNCTION overview_mark_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER overview_orders_inserted AFTER INSERT ON orders
  REFERENCING NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_orders();
CREATE TRIGGER overview_orders_updated AFTER UPDATE ON orders
  REFERENCING OLD TABLE AS old_orders NEW TABLE AS new_orders FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_orders();
CREATE TRIGGER overview_orders_deleted AFTER DELETE ON orders
  REFERENCING OLD TABLE AS old_orders FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_orders();

-- Items change the category figures of their order's buyer (only purchases count).
CREATE FUNCTION overview_mark_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
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

CREATE TRIGGER overview_items_inserted AFTER INSERT ON order_items
  REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_items();
CREATE TRIGGER overview_items_updated AFTER UPDATE ON order_items
  REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_items();
CREATE TRIGGER overview_items_deleted AFTER DELETE ON order_items
  REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_items();

-- A buyer's new address moves their days between provinces and cities.
CREATE FUNCTION overview_mark_customers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO overview_dirty
    SELECT n.id FROM old_customers o JOIN new_customers n USING (id)
    WHERE (o.province, o.city) IS DISTINCT FROM (n.province, n.city)
      AND EXISTS (SELECT 1 FROM overview_customers s WHERE s.customer_id = n.id)
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE TRIGGER overview_customers_updated AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS old_customers NEW TABLE AS new_customers FOR EACH STATEMENT EXECUTE FUNCTION overview_mark_customers();
