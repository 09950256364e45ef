// The review before launch (GET /api/journeys/:id/review) and why a run's members wait (monitor).
import { z } from 'zod';
import { OrderEvent } from '../events.ts';
import { TimeOfDay } from '../time-windows.ts';
import { Timestamp } from './common.ts';
import { JourneyKind } from './journeys.ts';

export const ReviewQuery = z.strictObject({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('Review this published version (before a run); default the saved draft (before publishing)'),
});

const Window = z.object({ from: TimeOfDay, to: TimeOfDay });

/** What starts a triggered journey's members (the review's "from now on, every new …" sentence). */
export const ReviewTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: OrderEvent }),
  z.object({ kind: z.literal('date'), rule: z.enum(['birthday', 'days_after_last_purchase']), checkAt: TimeOfDay }),
]);
export type ReviewTrigger = z.infer<typeof ReviewTrigger>;

export const ReviewSmsNode = z.object({
  nodeId: z.string(),
  /** Members expected to reach the node (audience journeys; null for triggered ones). */
  members: z.int().nullable(),
  segmentsPerMessage: z.int(),
  /** Yuan per member that reaches it. */
  costPerMember: z.number(),
});

export const JourneyReview = z.object({
  kind: JourneyKind,
  /** The version reviewed, or null for the saved draft. */
  version: z.int().nullable(),
  /** Members the segment holds now (audience journeys), holdout included; null for triggered ones. */
  audienceCount: z.int().nullable(),
  /** Of those, how many get messages (the holdout gets nothing). */
  treatedCount: z.int().nullable(),
  /**
   * Upper bound: every treated member takes the path with the most SMS nodes (repeats counted
   * once). Audience journeys: totals; triggered ones: per entrant.
   */
  estimateBasis: z.enum(['audience_x_main_path', 'per_entrant_main_path']),
  estimatedMessages: z.number(),
  estimatedCost: z.number(),
  smsNodes: z.array(ReviewSmsNode),
  /** The hours marketing SMS may go out (the complement of quiet hours); null = any time. */
  sendWindow: Window.nullable(),
  quietHours: Window.nullable(),
  timeZone: z.string(),
  holdoutPercent: z.number(),
  /** The entry's start time (audience, once); null = at once. */
  startAt: Timestamp.nullable(),
  startInPast: z.boolean(),
  /** Recurring audience entries start by schedule, not by one run. */
  recurring: z.boolean(),
  trigger: ReviewTrigger.nullable(),
  /** Whether a run can be started by hand (audience journeys only). */
  canRunNow: z.boolean(),
});
export type JourneyReview = z.infer<typeof JourneyReview>;

/** Why members are at a node and until when (the monitor explains waiting, never just "停留"). */
export const WaitReason = z.enum(['quiet_hours', 'wait', 'wait_for_event', 'paused', 'due']);
export type WaitReason = z.infer<typeof WaitReason>;
export const WaitingGroup = z.object({
  nodeId: z.string(),
  reason: WaitReason,
  members: z.int(),
  /** When they move on (at the latest, for wait_for_event); null when it depends on a resume. */
  until: Timestamp.nullable(),
});
export type WaitingGroup = z.infer<typeof WaitingGroup>;
