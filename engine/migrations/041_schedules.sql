-- Recurring schedules of audience runs ("every day at 09:30 Asia/Shanghai"). The engine's scheduler
-- tick turns each due occurrence into a run (Temporal Schedules are not used: the embedded server
-- has none, and the product must behave the same on both servers).

CREATE TABLE schedules (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  journey_id  uuid NOT NULL REFERENCES journeys (id),
  -- A pinned version; NULL runs the latest published version at each occurrence.
  version_id  uuid REFERENCES journey_versions (id),
  every       text NOT NULL CHECK (every IN ('day', 'week', 'month')),
  at          text NOT NULL CHECK (at ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),   -- local HH:MM
  weekday     smallint CHECK (weekday BETWEEN 1 AND 7),                   -- ISO, weekly only
  month_day   smallint CHECK (month_day BETWEEN 1 AND 31),                -- clamped to month end
  time_zone   text NOT NULL,
  start_from  timestamptz NOT NULL,
  until       timestamptz,                                                -- inclusive
  state       text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'ended', 'deleted')),
  -- The next occurrence to materialise; NULL once the schedule has ended or was deleted.
  next_at     timestamptz,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((every = 'week') = (weekday IS NOT NULL)),
  CHECK ((every = 'month') = (month_day IS NOT NULL)),
  CHECK (until IS NULL OR until >= start_from)
);

CREATE INDEX schedules_journey_idx ON schedules (journey_id, created_at);
CREATE INDEX schedules_due_idx ON schedules (next_at) WHERE state = 'active';

-- The run an occurrence became: one per (schedule, occurrence), so two engines or a restart never
-- start an occurrence twice.
ALTER TABLE runs
  ADD COLUMN schedule_id uuid REFERENCES schedules (id),
  ADD COLUMN occurrence timestamptz,
  ADD CONSTRAINT runs_schedule_occurrence_pair CHECK ((schedule_id IS NULL) = (occurrence IS NULL)),
  ADD CONSTRAINT runs_schedule_occurrence_once UNIQUE (schedule_id, occurrence);
