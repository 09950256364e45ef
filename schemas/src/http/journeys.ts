// Journeys, their drafts and published versions.
import { z } from 'zod';
import { DisplayName } from '../text.ts';
import { graphErrorMessages } from '../errors.ts';
import type { GraphErrorCode } from '../errors.ts';
import { DraftGraph, Limit, Timestamp } from './common.ts';

/** A journey's kind as the API and the journeys table know it: date entries count as triggered. */
export const JourneyKind = z.enum(['audience', 'triggered']);
export type JourneyKind = z.infer<typeof JourneyKind>;
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
export type JourneySummary = z.infer<typeof JourneySummary>;

export const JourneyDetail = JourneySummary.extend({ draft: DraftGraph.nullable() });
export type JourneyDetail = z.infer<typeof JourneyDetail>;

/** A journey's run that has not ended (scheduled, pending, running, paused or draining); the newest if several. */
export const CurrentRun = z.object({ id: z.string(), state: z.string(), startedAt: Timestamp.nullable() });
/** What the home page shows per journey, counted in the same query as the page of journeys. */
export const JourneyFigures = z.object({
  currentRun: CurrentRun.nullable(),
  /** Members still in a run that has not ended (entered, not yet exited). */
  peopleIn: z.int(),
  /** Messages that left for the provider (sent, delivered or undelivered), over every run. */
  messagesSent: z.int(),
  runCount: z.int(),
});
export type JourneyFigures = z.infer<typeof JourneyFigures>;
export const JourneyListItem = JourneySummary.extend({ figures: JourneyFigures });
export type JourneyListItem = z.infer<typeof JourneyListItem>;

export const JourneyList = z.object({
  journeys: z.array(JourneyListItem),
  /** Journeys matching the filters, over all pages. */
  total: z.int(),
});
export type JourneyList = z.infer<typeof JourneyList>;
export const JourneyListQuery = z.strictObject({
  state: JourneyState.optional(),
  q: z.string().max(80).optional(),
  archived: z
    .enum(['true', 'false'])
    .optional()
    .describe('true: only archived journeys; false: none of them; absent: both'),
  limit: Limit,
  offset: z.coerce.number().int().min(0).default(0),
});
export type JourneyListQuery = z.input<typeof JourneyListQuery>;

const Name = DisplayName(80);
export const CreateJourneyBody = z.strictObject({ name: Name.optional(), draft: DraftGraph.optional() });
export type CreateJourneyRequest = z.input<typeof CreateJourneyBody>;
export const SaveDraftBody = z.strictObject({ draft: DraftGraph, name: Name.optional() });
export type SaveDraftRequest = z.input<typeof SaveDraftBody>;

const LocalizedMessage = z.object({ zh: z.string(), en: z.string() });
/** The compiler's GraphError as JSON. */
export const GraphErrorOut = z.object({
  code: z.enum(Object.keys(graphErrorMessages) as [GraphErrorCode, ...GraphErrorCode[]]),
  nodeId: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])),
  message: LocalizedMessage,
});

export const ValidateBody = z.strictObject({ draft: DraftGraph.optional() }).optional();
export type ValidateRequest = z.input<typeof ValidateBody>;
export const ValidateResult = z.object({
  ok: z.boolean(),
  errors: z.array(GraphErrorOut),
  maxDurationMs: z.number().optional(),
});
export type ValidateResult = z.infer<typeof ValidateResult>;

export const PublishBody = z.strictObject({ notes: z.string().max(2000).default('') });
export type PublishRequest = z.input<typeof PublishBody>;

export const VersionSummary = z.object({
  id: z.string(),
  journeyId: z.string(),
  version: z.int(),
  planHash: z.string().nullable(),
  notes: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: Timestamp,
});
export type VersionSummary = z.infer<typeof VersionSummary>;
export const VersionList = z.object({ versions: z.array(VersionSummary) });
export type VersionList = z.infer<typeof VersionList>;
export const VersionParams = z.strictObject({ id: z.string(), version: z.coerce.number().int().min(1).max(1_000_000) });
export const VersionDetail = VersionSummary.extend({
  graph: z.record(z.string(), z.unknown()),
  plan: z.record(z.string(), z.unknown()),
});
export type VersionDetail = z.infer<typeof VersionDetail>;
