// Request and response shapes shared by several routes. Requests are strict (unknown fields are
// errors, not silently dropped); responses list exactly what leaves the server.
import { z } from 'zod';

export const Timestamp = z.string().describe('ISO 8601 instant');
/** A journey graph as JSON; drafts may be incomplete, so the compiler (validate/publish) judges them. */
export const DraftGraph = z.record(z.string(), z.unknown()).describe('A journey graph (JourneyGraph of @huitou/schemas); validated by /validate and /publish');

export const JourneyKind = z.enum(['audience', 'triggered']);
export const JourneyState = z.enum(['draft', 'published', 'paused', 'draining', 'stopped', 'archived']);

export const JourneySummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: JourneyKind,
  state: z.string(),
  latestVersion: z.int().nullable(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  archivedAt: Timestamp.nullable(),
});

export const JourneyDetail = JourneySummary.extend({ draft: DraftGraph.nullable() });

export const LocalizedText = z.object({ zh: z.string(), en: z.string() });
export const GraphErrorOut = z.object({
  code: z.string(),
  nodeId: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])),
  message: LocalizedText,
});

export const VersionSummary = z.object({
  id: z.string(),
  journeyId: z.string(),
  version: z.int(),
  planHash: z.string().nullable(),
  notes: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: Timestamp,
});
export const VersionDetail = VersionSummary.extend({ graph: z.record(z.string(), z.unknown()), plan: z.record(z.string(), z.unknown()) });

export const RunState = z.enum(['pending', 'scheduled', 'running', 'paused', 'draining', 'stopped', 'completed', 'failed', 'failed_to_start']);
export const Run = z.object({
  id: z.string(),
  journeyId: z.string(),
  versionId: z.string(),
  kind: JourneyKind,
  state: z.string(),
  workflowId: z.string().nullable(),
  triggerKey: z.string().nullable(),
  memberCount: z.int().nullable(),
  shardCount: z.int().nullable(),
  holdoutRatio: z.number(),
  scheduledFor: Timestamp.nullable(),
  /** The recurring schedule that started the run, and which of its occurrences it is. */
  scheduleId: z.string().nullable(),
  occurrence: Timestamp.nullable(),
  createdAt: Timestamp,
  startedAt: Timestamp.nullable(),
  endedAt: Timestamp.nullable(),
});

export const Ok = z.object({ ok: z.literal(true) });
