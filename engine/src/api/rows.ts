// Database rows to API objects, in one place.
import type { z } from 'zod';
import type { JourneySummary, Run, VersionSummary } from '@huitou/schemas/http';
import { iso } from '../db/transaction.ts';

export const JOURNEY_COLUMNS = `j.id, j.name, j.kind, j.state, j.created_by, j.created_at, j.updated_at, j.archived_at,
  (SELECT max(v.version) FROM journey_versions v WHERE v.journey_id = j.id) AS latest_version`;

export interface JourneyRow {
  id: string;
  name: string;
  kind: 'audience' | 'triggered';
  state: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  archived_at: Date | null;
  latest_version: number | null;
  draft?: Record<string, unknown> | null;
}

export const journeyOut = (r: JourneyRow): z.input<typeof JourneySummary> => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  state: r.state,
  latestVersion: r.latest_version,
  createdBy: r.created_by,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
  archivedAt: iso(r.archived_at),
});

export const VERSION_COLUMNS = 'v.id, v.journey_id, v.version, v.plan_hash, v.notes, v.published_by, v.published_at';

export interface VersionRow {
  id: string;
  journey_id: string;
  version: number;
  plan_hash: string | null;
  notes: string;
  published_by: string | null;
  published_at: Date;
}

export const versionOut = (r: VersionRow): z.input<typeof VersionSummary> => ({
  id: r.id,
  journeyId: r.journey_id,
  version: r.version,
  planHash: r.plan_hash,
  notes: r.notes,
  publishedBy: r.published_by,
  publishedAt: iso(r.published_at) as string,
});

export const RUN_COLUMNS = `r.id, r.journey_id, r.version_id, r.kind, r.state, r.workflow_id, r.trigger_key, r.member_count, r.shard_count,
  r.holdout_ratio, r.scheduled_for, r.schedule_id, r.occurrence, r.created_at, r.started_at, r.ended_at`;

export interface RunRow {
  id: string;
  journey_id: string;
  version_id: string;
  kind: 'audience' | 'triggered';
  state: string;
  workflow_id: string | null;
  trigger_key: string | null;
  member_count: number | null;
  shard_count: number | null;
  holdout_ratio: number;
  scheduled_for: Date | null;
  schedule_id: string | null;
  occurrence: Date | null;
  created_at: Date;
  started_at: Date | null;
  ended_at: Date | null;
}

export const runOut = (r: RunRow): z.input<typeof Run> => ({
  id: r.id,
  journeyId: r.journey_id,
  versionId: r.version_id,
  kind: r.kind,
  state: r.state,
  workflowId: r.workflow_id,
  triggerKey: r.trigger_key,
  memberCount: r.member_count,
  shardCount: r.shard_count,
  holdoutRatio: Number(r.holdout_ratio),
  scheduledFor: iso(r.scheduled_for),
  scheduleId: r.schedule_id,
  occurrence: iso(r.occurrence),
  createdAt: iso(r.created_at) as string,
  startedAt: iso(r.started_at),
  endedAt: iso(r.ended_at),
});

/** A LIKE pattern matching `text` literally (user input never acts as a wildcard). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
