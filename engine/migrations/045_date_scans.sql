-- Date-triggered journeys (entry.date: birthdays, N days after the last purchase) are scanned once a
-- day at their check time by the engine's scheduler tick. The row per journey holds the last local
-- date scanned; it is locked FOR UPDATE SKIP LOCKED while a scan runs and advanced in the same
-- transaction, so a restart or a second engine never scans one day twice.

CREATE TABLE date_scans (
  journey_id    uuid PRIMARY KEY REFERENCES journeys (id),
  scanned_date  date,                 -- local date (journey time zone) of the last completed scan
  scanned_at    timestamptz,
  admitted      integer NOT NULL DEFAULT 0 CHECK (admitted >= 0)   -- runs started by that scan
);
