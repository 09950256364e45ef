-- Reviews arrive as a CSV import too (POST /api/imports/reviews, engine/src/imports/reviews.ts).
ALTER TABLE imports DROP CONSTRAINT imports_kind_check;
ALTER TABLE imports ADD CONSTRAINT imports_kind_check CHECK (kind IN ('customers', 'orders', 'reviews'));
