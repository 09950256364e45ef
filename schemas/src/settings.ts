import { z } from 'zod';
import { CategoryKeyList } from './segment.ts';
import { DEFAULT_TIME_ZONE, TimeWindow, TimeZone } from './time-windows.ts';

/** What counts as the journey's success when comparing treatment with the holdout. */
export const JourneyGoal = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('purchase'),
    minAmount: z.number().min(0).max(1e9).optional(),
    categories: CategoryKeyList.optional(),
  }),
  /** The order that triggered the journey gets paid (payment reminders). */
  z.strictObject({ kind: z.literal('trigger_order_paid') }),
]);
export type JourneyGoal = z.infer<typeof JourneyGoal>;

export const SmsSettings = z.strictObject({
  /** Exactly as sent, brackets included, e.g. 【回头小店】; required once the journey sends SMS. */
  signature: z.string().min(1).max(20).optional(),
  /** Yuan per billed SMS segment. */
  unitPrice: z.number().min(0).max(10).default(0.045),
  /** Appended to every marketing SMS. */
  optOutSuffix: z.string().min(1).max(20).default('回T退订'),
  /** The shop's short link: the value of {link} in this journey's messages (counted as typed). */
  link: z.string().min(1).max(40).regex(/^\S+$/, 'a link has no spaces').optional(),
});
export type SmsSettings = z.infer<typeof SmsSettings>;

export const JourneySettings = z.strictObject({
  /** Share of entrants held out (they get nothing) to measure natural repurchase. */
  holdoutPercent: z.number().min(0).max(50).default(10),
  goal: JourneyGoal.prefault({ kind: 'purchase' }),
  /** No marketing SMS in this local window; sends due inside it wait for its end. null = none. */
  quietHours: TimeWindow.nullable().default({ from: '21:00', to: '08:00' }),
  /** Whether this journey's marketing SMS count toward (and respect) the shop-wide yearly cap. */
  countsTowardFrequencyCap: z.boolean().default(true),
  sms: SmsSettings.prefault({}),
  timeZone: TimeZone.default(DEFAULT_TIME_ZONE),
});
export type JourneySettings = z.infer<typeof JourneySettings>;
export type JourneySettingsInput = z.input<typeof JourneySettings>;
