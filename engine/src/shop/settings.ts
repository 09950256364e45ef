// The shop's settings (one shop_settings row): read and changed by the settings page
// (GET/PUT /api/settings). Other readers (the send path's cap, the responses' attribution window)
// read their own columns of the same row.
import type pg from 'pg';
import type { ShopSettings, UpdateShopSettingsRequest } from '@huitou/schemas/http';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { iso } from '../db/transaction.ts';

interface SettingsRow {
  marketing_cap: number;
  marketing_cap_days: number;
  coverage_floor: number;
  quiet_from: string | null;
  quiet_to: string | null;
  time_zone: string;
  sms_signature: string | null;
  attribution_days: number;
  rfm_monetary: ShopSettings['rfmMonetary'];
  updated_at: Date;
}

export async function readShopSettings(db: Db): Promise<ShopSettings> {
  const { rows } = await db.query<SettingsRow>(
    `SELECT marketing_cap, marketing_cap_days, coverage_floor, quiet_from, quiet_to, time_zone, sms_signature,
       attribution_days, rfm_monetary, updated_at FROM shop_settings LIMIT 1`,
  );
  const r = rows[0];
  if (!r) throw new Error('shop_settings has no row (migration 010 inserts it)');
  return {
    frequencyCap: { count: r.marketing_cap, days: r.marketing_cap_days },
    coverageFloor: r.coverage_floor,
    quietHours: r.quiet_from !== null && r.quiet_to !== null ? { from: r.quiet_from, to: r.quiet_to } : null,
    timeZone: r.time_zone,
    smsSignature: r.sms_signature,
    attributionDays: r.attribution_days,
    rfmMonetary: r.rfm_monetary,
    updatedAt: iso(r.updated_at) as string,
  };
}

/**
 * The shop's local days moved: whatever is kept per local day must be recomputed. The overview's
 * rollups (reports/overview-rollups.ts) record the zone they were built in and rebuild themselves
 * on the next read in another zone, so nothing is done here (a rebuild of a big shop takes minutes:
 * not inside a settings request). Anything else kept per local day is recomputed here.
 */
export async function onShopTimeZoneChanged(db: Db): Promise<void> {
  void db;
}

/** Applies the fields given (already validated by UpdateShopSettingsBody) and audits what changed. */
export async function updateShopSettings(
  db: pg.PoolClient,
  who: Actor,
  body: UpdateShopSettingsRequest,
): Promise<ShopSettings> {
  const before = await readShopSettings(db);
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown) => {
    values.push(value);
    sets.push(`${column} = $${values.length}`);
  };
  if (body.frequencyCap) {
    set('marketing_cap', body.frequencyCap.count);
    set('marketing_cap_days', body.frequencyCap.days);
  }
  if (body.coverageFloor !== undefined) set('coverage_floor', body.coverageFloor);
  if (body.quietHours !== undefined) {
    set('quiet_from', body.quietHours?.from ?? null);
    set('quiet_to', body.quietHours?.to ?? null);
  }
  if (body.timeZone !== undefined) set('time_zone', body.timeZone);
  if (body.smsSignature !== undefined) set('sms_signature', body.smsSignature);
  if (body.attributionDays !== undefined) set('attribution_days', body.attributionDays);
  if (body.rfmMonetary !== undefined) set('rfm_monetary', body.rfmMonetary);
  await db.query(`UPDATE shop_settings SET ${sets.join(', ')}, updated_at = now()`, values);
  const after = await readShopSettings(db);
  if (after.timeZone !== before.timeZone) await onShopTimeZoneChanged(db);
  const changed = (Object.keys(body) as (keyof UpdateShopSettingsRequest)[]).filter(
    (k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  await audit(
    db,
    who,
    'settings.update',
    { type: 'shop_settings' },
    Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])),
  );
  return after;
}

/**
 * A new journey (blank or from a template) starts from the shop's settings page: its signature
 * (over a template's sample one), and its quiet hours and time zone where the draft sets none.
 * A journey sent with its own draft through the API keeps what it says.
 */
export async function withShopDefaults(db: Db, draft: Record<string, unknown>): Promise<Record<string, unknown>> {
  const shop = await readShopSettings(db);
  const settings = { ...((draft.settings as Record<string, unknown> | undefined) ?? {}) };
  const sms = { ...((settings.sms as Record<string, unknown> | undefined) ?? {}) };
  if (shop.smsSignature !== null) sms.signature = shop.smsSignature;
  settings.sms = sms;
  if (settings.quietHours === undefined) settings.quietHours = shop.quietHours;
  if (settings.timeZone === undefined) settings.timeZone = shop.timeZone;
  return { ...draft, settings };
}
