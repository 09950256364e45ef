-- The holdout hash of @huitou/schemas (holdout.ts) in SQL, so audience snapshots assign holdout
-- inside one INSERT ... SELECT. Values are unsigned 32-bit integers carried in bigint; products are
-- split into 16-bit halves so nothing overflows. `seed` is holdoutSeed(runId), computed by the caller.

CREATE FUNCTION huitou_mul32(a bigint, b bigint) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT ((a * (b & 65535)) + (((a * (b >> 16)) & 65535) << 16)) & 4294967295 $$;

CREATE FUNCTION huitou_fmix32(x bigint) RETURNS bigint
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
DECLARE
  h bigint := x;
BEGIN
  h := huitou_mul32(h # (h >> 16), 2246822507);   -- 0x85ebca6b
  h := huitou_mul32(h # (h >> 13), 3266489909);   -- 0xc2b2ae35
  RETURN h # (h >> 16);
END
$$;

-- Uniform in [0, 1): the customer is held out when it is below the run's ratio.
CREATE FUNCTION huitou_holdout_bucket(seed bigint, customer_id bigint) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT huitou_fmix32(huitou_fmix32(seed # (customer_id & 4294967295)) # (customer_id >> 32)) / 4294967296.0::float8 $$;
