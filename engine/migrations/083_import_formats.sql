-- Imports of issue 15 (engine/src/imports): order items as a file of their own, marketplace
-- exports told by their header, GBK/GB18030 as well as UTF-8, and what an import created besides
-- its rows (buyers, products; customers SMS cannot reach). `order-items` is a kind 081's slug
-- check already admits.
ALTER TABLE imports ADD COLUMN format text CHECK (format IN ('huitou', 'taobao'));
ALTER TABLE imports ADD COLUMN charset text CHECK (charset IN ('utf-8', 'gb18030'));
-- {customersCreated, unreachablePhones, productsCreated, newProducts: [{sku, name}] (the first 100)}
ALTER TABLE imports ADD COLUMN summary jsonb NOT NULL DEFAULT '{}';
