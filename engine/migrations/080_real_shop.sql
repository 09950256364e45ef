-- A real shop's data (issue 15): the shop's own categories and product catalogue, what the
-- marketplaces' exports and live feeds carry (tracking numbers, addresses, masked phones,
-- reviews), and the attribution window that decides what counts as a response.

-- Categories are the shop's own list. The key is what journeys store (split branches, segment
-- conditions): fixed once made, so renaming a category never changes a journey; the name is what
-- marketers read. The four categories of earlier releases stay, under their keys.
CREATE TABLE categories (
  key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{0,31}$'),
  name        text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
  position    integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO categories (key, name, position) VALUES
  ('food', '食品', 1),
  ('kids_clothing', '童装', 2),
  ('daily_goods', '日用品', 3),
  ('durables', '耐用品', 4),
  -- Where an item of a product nobody catalogued lands (an export names only its title).
  ('uncategorised', '未分类', 1000);

-- Products: sku is the merchant code (商家编码); a product the shop never catalogued is keyed by
-- its title (sku `title:<md5 of the title>`). short_name is what {item} prints in an SMS.
ALTER TABLE products DROP CONSTRAINT products_category_check;
ALTER TABLE products ADD CONSTRAINT products_category_fkey FOREIGN KEY (category) REFERENCES categories (key);
ALTER TABLE products DROP CONSTRAINT products_role_check;
-- Seed 001's product roles: traffic-driving, profit, edge, and potential (new lines being tried).
ALTER TABLE products ADD CONSTRAINT products_role_check CHECK (role IN ('traffic', 'profit', 'edge', 'potential'));
ALTER TABLE products ADD COLUMN short_name text CHECK (length(short_name) BETWEEN 1 AND 20);
ALTER TABLE products ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX products_category_idx ON products (category);

-- Items copy their product's category (segments read it without a join); no foreign key, so bulk
-- loads stay one index each. title is the item's own title as the order carried it.
ALTER TABLE order_items DROP CONSTRAINT order_items_category_check;
ALTER TABLE order_items ADD COLUMN title text;
CREATE INDEX order_items_product_idx ON order_items (product_id);

-- Orders: what shipping and the marketplace add. Province and city are the shipping address's.
ALTER TABLE orders ADD COLUMN carrier text;
ALTER TABLE orders ADD COLUMN tracking_no text;
ALTER TABLE orders ADD COLUMN signed_at timestamptz;
ALTER TABLE orders ADD COLUMN province text;
ALTER TABLE orders ADD COLUMN city text;
ALTER TABLE orders ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- Customers: phone stays "the mobile number SMS can reach" (E.164) everywhere it is read. A
-- number that cannot receive SMS (a fixed line; a marketplace's masked 138****1234) is kept in
-- unreachable_phone, never guessed and never texted. last_responded_at goes with times_responded.
ALTER TABLE customers ADD COLUMN unreachable_phone text;
ALTER TABLE customers ADD COLUMN phone_kind text CHECK (phone_kind IN ('mobile', 'fixed_line', 'masked'));
UPDATE customers SET phone_kind = 'mobile' WHERE phone IS NOT NULL;
ALTER TABLE customers ADD COLUMN last_responded_at timestamptz;

-- Reviews: the marketplace's review id (imports and events upsert by it) and the text.
ALTER TABLE reviews ADD COLUMN external_id text UNIQUE;
ALTER TABLE reviews ADD COLUMN content text;
CREATE INDEX reviews_order_idx ON reviews (order_id);

-- A purchase this many days after a marketing SMS counts as that customer's response to it.
ALTER TABLE shop_settings ADD COLUMN attribution_days integer NOT NULL DEFAULT 15 CHECK (attribution_days BETWEEN 1 AND 90);
