// Saved segments (人群): named segment definitions with live counts and the journeys that use them.
import { z } from 'zod';
import { Segment } from '../segment.ts';
import { Timestamp } from './common.ts';

const Name = z.string().trim().min(1).max(100);

export const SavedSegmentBody = z.strictObject({ name: Name, definition: Segment });
export type SavedSegmentBody = z.input<typeof SavedSegmentBody>;

export const SavedSegmentUpdate = z
  .strictObject({ name: Name.optional(), definition: Segment.optional() })
  .refine((b) => b.name !== undefined || b.definition !== undefined, { message: 'give name, definition or both' });
export type SavedSegmentUpdate = z.input<typeof SavedSegmentUpdate>;

export const SavedSegmentListQuery = z.strictObject({
  /** `false` skips the live counts (one query per segment). */
  counts: z.enum(['true', 'false']).default('true'),
  /** Only the segments this customer is in now. */
  customerId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** A journey whose draft or latest published version refers to the segment. */
export const SavedSegmentUse = z.object({ journeyId: z.string(), name: z.string(), state: z.string() });

export const SavedSegment = z.object({
  id: z.string(),
  name: z.string(),
  definition: Segment,
  archived: z.boolean(),
  /** Customers matching now; null when counts were skipped. */
  count: z.int().nullable(),
  usedBy: z.array(SavedSegmentUse),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
  updatedBy: z.string().nullable(),
  updatedAt: Timestamp,
});
export type SavedSegment = z.infer<typeof SavedSegment>;

export const SavedSegmentList = z.object({ segments: z.array(SavedSegment) });
export type SavedSegmentList = z.infer<typeof SavedSegmentList>;
