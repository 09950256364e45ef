// Shapes shared by many operations. Requests are strict (unknown fields are errors, not silently
// dropped); responses list exactly what leaves the server.
import { z } from 'zod';

export const Timestamp = z.string().describe('ISO 8601 instant');
/** A journey graph as JSON; drafts may be incomplete, so the compiler (validate/publish) judges them. */
export const DraftGraph = z
  .record(z.string(), z.unknown())
  .describe('A journey graph (JourneyGraph of @huitou/schemas); validated by /validate and /publish');

/** The header that makes a campaign write (run start, publish, schedule creation) safe to retry. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

export const Ok = z.object({ ok: z.literal(true) });

/** Path parameters that are uuids (the engine answers 404 for a malformed one). */
export const IdParams = z.strictObject({ id: z.string() });
/** Listing limits from the query string. */
export const Limit = z.coerce.number().int().min(1).max(500).default(50);
/** Rows to skip before a page (with Limit). */
export const Offset = z.coerce.number().int().min(0).max(10_000_000).default(0);

/** Every failure: `{ error: { status, code, path, message, details? } }`. */
export const ApiErrorBody = z.object({
  error: z.object({
    status: z.int(),
    code: z.string(),
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;
