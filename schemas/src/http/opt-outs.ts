// The opt-out list as staff see it: who will never get marketing SMS (or e-mail) again, why, and since when.
import { z } from 'zod';
import { Limit, Timestamp } from './common.ts';
import { Phone } from './data-in.ts';

export const OptOut = z.object({
  id: z.string(),
  channel: z
    .enum(['sms', 'email'])
    .describe('What the opt-out stops: marketing SMS to a number, or e-mail to an address'),
  phone: z
    .string()
    .nullable()
    .describe('The number (SMS opt-outs): masked (138****1234) unless the role may see phones (customers.phone)'),
  email: z
    .string()
    .nullable()
    .describe('The address (e-mail opt-outs): masked (b***@example.com) unless the role may see phones'),
  customerId: z.number().nullable(),
  customerName: z.string().nullable(),
  source: z.string().nullable().describe('reply:<keyword>, api, manual...'),
  reason: z.string().nullable(),
  createdBy: z.string().nullable().describe('The key that added it by hand (key:<id>)'),
  createdByName: z.string().nullable().describe("That key's name"),
  createdAt: Timestamp,
});
export const OptOutList = z.object({ optOuts: z.array(OptOut), total: z.int() });
export const OptOutListQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .max(80)
    .optional()
    .describe("Digits of the phone number, the customer's id or part of their name"),
  limit: Limit,
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const Reason = z.string().trim().min(1, 'give a reason').max(300);
export const ManualOptOutBody = z
  .strictObject({
    phone: Phone.optional(),
    customerId: z.int().min(1).optional(),
    reason: Reason,
  })
  .refine((b) => (b.phone === undefined) !== (b.customerId === undefined), {
    message: 'give either phone or customerId',
    path: ['phone'],
  });
export const RemoveOptOutBody = z.strictObject({ reason: Reason });
export type OptOut = z.infer<typeof OptOut>;
export type OptOutList = z.infer<typeof OptOutList>;
export type ManualOptOutRequest = z.input<typeof ManualOptOutBody>;
