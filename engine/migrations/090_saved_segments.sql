-- Saved segments (人群): a named segment definition that journeys reference from their conditions
-- ({ kind: 'saved_segment', segmentId }). Publishing copies the definition into the plan, so an
-- edit here never changes a running journey. Archived ones keep their row (old plans name them).
CREATE TABLE saved_segments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  definition  jsonb NOT NULL,
  archived    boolean NOT NULL DEFAULT false,
  created_by  text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text,
  updated_at  timestamptz NOT NULL DEFAULT now()
);
-- Names are unique among live segments; an archived name can be used again.
CREATE UNIQUE INDEX saved_segments_live_name_idx ON saved_segments (name) WHERE NOT archived;
