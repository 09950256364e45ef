-- A triggered journey's report reads its members by entry time (GET /api/journeys/:id/report),
-- whatever run or cohort holds them. Through runs by journey it read every run the journey ever
-- had (0.56 s for a day of 10,000 members after 60 days; seconds a year on). entered_at follows
-- the order rows are written in, so a BRIN index finds a period's blocks at almost no cost to
-- writes (an audience snapshot inserts a million rows with one entered_at).
CREATE INDEX run_members_entered_brin ON run_members USING brin (entered_at) WITH (autosummarize = on);
