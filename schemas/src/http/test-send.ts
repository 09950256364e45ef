// Test sends before launch: colleagues' numbers kept in the shop settings, and a journey's messages
// rendered for one chosen customer sent to them (never counted, capped or deduplicated with real sends).
// Also the small customer search the simulation's one-customer mode and the test send pick from.
import { z } from 'zod';
import { DraftGraph } from './common.ts';

/** At most this many colleagues' numbers. */
export const MAX_TEST_PHONES = 10;

export const TestPhones = z.object({ phones: z.array(z.string()).describe('Mobiles, E.164') });
export type TestPhones = z.infer<typeof TestPhones>;
export const UpdateTestPhonesBody = z.strictObject({
  phones: z.array(z.string().max(40)).max(MAX_TEST_PHONES).describe('Mobiles; each is checked (422 with its index)'),
});
export type UpdateTestPhonesRequest = z.input<typeof UpdateTestPhonesBody>;

export const TestSendBody = z.strictObject({
  customerId: z.int().min(1).describe('The customer the messages are rendered for'),
  numbers: z
    .array(z.string().max(40))
    .min(1)
    .max(MAX_TEST_PHONES)
    .optional()
    .describe("Default: the colleagues' numbers in the shop settings"),
  graph: DraftGraph.optional().describe('Default: the saved draft'),
});
export type TestSendRequest = z.input<typeof TestSendBody>;

export const TestSendResult = z.object({
  batchId: z.string(),
  customerId: z.int(),
  /** One row per message and number, in the journey's order. */
  sent: z.array(
    z.object({
      nodeId: z.string(),
      to: z.string(),
      body: z.string(),
      segments: z.int(),
      status: z.enum(['pending', 'sent', 'failed']),
      error: z.string().nullable(),
    }),
  ),
  /** Messages on the customer's path that could not be rendered (a missing value, too long). */
  skipped: z.array(z.object({ nodeId: z.string(), reason: z.string() })),
});
export type TestSendResult = z.infer<typeof TestSendResult>;
