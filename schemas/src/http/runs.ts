// Runs: starting, listing, the detail with counts, members, ops controls, message stats.
import { z } from 'zod';
import { Instant } from '../instant.ts';
import { Limit, Timestamp } from './common.ts';
import { JourneyKind } from './journeys.ts';
import { WaitingGroup } from './review.ts';

export const RunState = z.enum([
  'pending',
  'scheduled',
  'running',
  'paused',
  'draining',
  'stopped',
  'completed',
  'failed',
  'failed_to_start',
]);
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
export type Run = z.infer<typeof Run>;

/** The ops controls (POST /api/runs/:id/<control>); the engine maps each to its signal and states. */
export const runControls = ['pause', 'resume', 'drain', 'stop'] as const;
export const RunControl = z.enum(runControls);
export type RunControl = z.infer<typeof RunControl>;

export const StartRunBody = z.strictObject({
  version: z.int().min(1).optional().describe('Version number; default the latest'),
  startAt: Instant.optional().describe(
    "Start later (ISO 8601); default the entry's start time when it is in the future, otherwise now",
  ),
  allowConcurrent: z
    .boolean()
    .optional()
    .describe('Start even though a run of this version is live (pending, running, paused or draining); default false'),
});
export type StartRunRequest = z.input<typeof StartRunBody>;
export const RunListQuery = z.strictObject({
  journeyId: z.string().optional(),
  scheduleId: z.string().optional(),
  state: RunState.optional(),
  from: Instant.optional().describe('Runs created at or after this instant'),
  to: Instant.optional().describe('Runs created before this instant'),
  limit: Limit,
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type RunListQuery = z.input<typeof RunListQuery>;
export const RunListItem = Run.extend({ journeyName: z.string() });
export type RunListItem = z.infer<typeof RunListItem>;
export const RunList = z.object({
  runs: z.array(RunListItem),
  /** Runs matching the filters, over all pages. */
  total: z.int(),
});
export type RunList = z.infer<typeof RunList>;

export const ControlResult = z.object({ run: Run, signalled: z.boolean() });
export type ControlResult = z.infer<typeof ControlResult>;
export const JourneyControlResult = z.object({ state: z.string(), runs: z.array(ControlResult) });

export const PositionCount = z.object({
  position: z.string().nullable(),
  members: z.int(),
  active: z.int(),
  exited: z.int(),
  holdout: z.int(),
});
export const NodeCount = z.object({
  entered: z.number(),
  waiting: z.number(),
  exited: z.number(),
  evaluations: z.number().optional(),
  ports: z.record(z.string(), z.number()),
});
export type NodeCount = z.infer<typeof NodeCount>;
export const RunDetail = Run.extend({
  positions: z.array(PositionCount),
  /** Per node, live from the workflow while it runs; null once it has ended. */
  live: z.record(z.string(), NodeCount).nullable(),
  controls: z.array(RunControl).describe('The ops controls the run state allows now (the others answer 409)'),
  /** Members still at a node, per node, reason and wake-up time, live while the run runs; null otherwise. */
  waiting: z.array(WaitingGroup).nullable(),
  /** When the soonest pending evaluation is due (members passed a checkpoint); null if none is pending. */
  nextCheckpointAt: Timestamp.nullable(),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const MembersQuery = z.strictObject({
  position: z.string().max(100).optional(),
  after: z.coerce.number().int().min(0).default(0),
  limit: Limit,
});
export const MemberPage = z.object({
  members: z.array(
    z.object({
      customerId: z.number(),
      holdout: z.boolean(),
      shard: z.int(),
      position: z.string().nullable(),
      enteredAt: Timestamp,
      exitedAt: Timestamp.nullable(),
      exitReason: z.string().nullable(),
    }),
  ),
  next: z.number().nullable(),
});

/** DELETE /api/runs/:id/members/:customerId: the member leaves the run with this reason. */
export const REMOVED_REASON = 'removed';
export const MemberParams = z.strictObject({ id: z.string(), customerId: z.string() });
export const RemovedMember = z.object({
  runId: z.string(),
  customerId: z.number(),
  position: z.string().nullable(),
  exitedAt: Timestamp,
  exitReason: z.literal(REMOVED_REASON),
});

export const MessageTally = z.object({
  sent: z.int(),
  delivered: z.int(),
  failed: z.int(),
  pending: z.int(),
  skipped: z.int(),
  segments: z.int(),
  cost: z.number(),
});
export type MessageTally = z.infer<typeof MessageTally>;
export const RunMessages = z.object({
  runId: z.string(),
  total: MessageTally,
  skipReasons: z.record(z.string(), z.int()),
  nodes: z.array(MessageTally.extend({ nodeId: z.string() })),
});
export type RunMessages = z.infer<typeof RunMessages>;
