// The shop's settings page (docs/api.md § Shop settings): the send policy, the coverage floor and
// its per-customer report, quiet hours, time zone, signature, attribution window and RFM choice.
import { z } from 'zod';
import { TimeWindow } from '../time-windows.ts';
import { Limit, Offset, Timestamp } from './common.ts';
import { RfmMonetary } from './shop-overview.ts';
import { CsvLang } from './reports.ts';

/**
 * The IANA zones this runtime knows (Intl.supportedValuesOf) plus UTC, which the list leaves out.
 * The settings answer carries the server's list, so the builder's picker offers exactly these.
 */
export function ianaTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}
let known: Set<string> | undefined;
export const isIanaTimeZone = (tz: string): boolean => (known ??= new Set(ianaTimeZones())).has(tz);

export const ShopTimeZone = z
  .string()
  .max(64)
  .refine(isIanaTimeZone, 'expected an IANA time zone name, e.g. Asia/Shanghai');

export const FrequencyCap = z.strictObject({
  /** Marketing SMS per customer at most... */
  count: z.int().min(0).max(365),
  /** ...in this many days. */
  days: z.int().min(1).max(3650),
});

/** The settings as stored; every field of the request is one of these. */
const settingsFields = {
  frequencyCap: FrequencyCap,
  /** The marketing touches a year each customer should at least get (the coverage report's line). */
  coverageFloor: z.int().min(0).max(365),
  /** No marketing SMS inside this local window (the shop's default for its journeys); null = none. */
  quietHours: TimeWindow.nullable(),
  timeZone: ShopTimeZone,
  /** Exactly as sent, brackets included, e.g. 【回头小店】; null = not set yet. */
  smsSignature: z.string().trim().min(1).max(20).nullable(),
  /** A purchase within this many days after a marketing SMS counts as its response. */
  attributionDays: z.int().min(1).max(90),
  /** RFM M by total spend or average order value (the overview's default). */
  rfmMonetary: RfmMonetary,
};

export const ShopSettings = z.object({ ...settingsFields, updatedAt: Timestamp });
export type ShopSettings = z.infer<typeof ShopSettings>;

export const ShopSettingsResponse = z.object({
  settings: ShopSettings,
  /** The zones timeZone accepts (the picker's list). */
  timeZones: z.array(z.string()),
});
export type ShopSettingsResponse = z.infer<typeof ShopSettingsResponse>;

/** Only the fields given change. */
export const UpdateShopSettingsBody = z
  .strictObject({
    frequencyCap: settingsFields.frequencyCap.optional(),
    coverageFloor: settingsFields.coverageFloor.optional(),
    quietHours: settingsFields.quietHours.optional(),
    timeZone: settingsFields.timeZone.optional(),
    smsSignature: settingsFields.smsSignature.optional(),
    attributionDays: settingsFields.attributionDays.optional(),
    rfmMonetary: settingsFields.rfmMonetary.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one setting to change' });
export type UpdateShopSettingsRequest = z.input<typeof UpdateShopSettingsBody>;

export const CoverageQuery = z.strictObject({
  /** Only the customers below the floor. */
  below: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: Limit,
  offset: Offset,
  format: z.enum(['json', 'csv']).optional().describe('csv: every matching customer as CSV (paging ignored)'),
  lang: CsvLang.optional(),
});
export type CoverageQueryInput = z.input<typeof CoverageQuery>;

export const CoverageRow = z.object({
  customerId: z.int(),
  nickname: z.string(),
  /** Marketing SMS sent to the customer in the last 365 days. */
  touches: z.int(),
  lastTouchAt: Timestamp.nullable(),
});
export const CoverageReport = z.object({
  floor: z.int(),
  cap: FrequencyCap,
  /** [from, to): the last 365 days. */
  from: Timestamp,
  to: Timestamp,
  customers: z.int(),
  belowFloor: z.int(),
  /** Customers at the cap's count or more within the window (the cap's own days may differ). */
  atCap: z.int(),
  /** Customers matching the query, all pages. */
  total: z.int(),
  rows: z.array(CoverageRow),
});
export type CoverageReport = z.infer<typeof CoverageReport>;
