// Customers by the marketplace's buyer id (external_id): a re-import updates them in place.
import { z } from 'zod';
import { date, email, filled, list, oneOf, optional, phone, text, timestamp, withDefault } from './cells.ts';
import type { ImportKind, UpsertColumn } from './import-kind.ts';
import { upsertBatch } from './import-kind.ts';

const CustomerRow = z.object({
  external_id: filled(text(200)),
  nickname: filled(text(200)),
  name: optional(text(200)),
  gender: withDefault(oneOf(['male', 'female', 'unknown']), 'unknown'),
  province: optional(text(100)),
  city: optional(text(100)),
  birthday: optional(date),
  phone: optional(phone),
  email: optional(email),
  tags: withDefault(list, []),
  // A row that names registered_at must give it: a blank would reset it to now on every re-import.
  registered_at: filled(timestamp).optional(),
});
type CustomerRow = z.output<typeof CustomerRow>;

type Column = Exclude<keyof CustomerRow, 'phone'>;
const COLUMNS: Record<Column, Omit<UpsertColumn, 'name'>> = {
  external_id: { type: 'text' },
  nickname: { type: 'text' },
  name: { type: 'text' },
  gender: { type: 'text' },
  province: { type: 'text' },
  city: { type: 'text' },
  birthday: { type: 'date' },
  email: { type: 'text' },
  tags: { type: 'jsonb', expr: 'ARRAY(SELECT jsonb_array_elements_text(u.tags))' },
  registered_at: { type: 'timestamptz' },
};

const tableColumns = Object.keys(COLUMNS) as Column[];

/**
 * The phone cell fills three columns: phone is only ever a mobile (what SMS and opt-outs read); a
 * fixed line (E.164) or a masked number (as written) is kept in unreachable_phone, never texted.
 */
const PHONE_COLUMNS = ['phone', 'unreachable_phone', 'phone_kind'] as const;
function phoneValues(p: CustomerRow['phone']): [string | null, string | null, string | null] {
  if (!p) return [null, null, null];
  if (p.kind === 'mobile') return [p.e164, null, 'mobile'];
  return [null, p.kind === 'masked' ? p.raw : p.e164, p.kind];
}

export const customersImport: ImportKind<CustomerRow> = {
  name: 'customers',
  columns: Object.keys(CustomerRow.shape),
  required: ['external_id', 'nickname'],
  row: CustomerRow,
  key: (r) => r.external_id,
  async write(db, rows, present) {
    const used = tableColumns.filter((c) => present.has(c));
    const phones = present.has('phone') ? rows.map((r) => phoneValues(r.phone)) : null;
    return upsertBatch(db, {
      table: 'customers',
      key: 'external_id',
      columns: [
        ...used.map((name) => ({ name, ...COLUMNS[name] })),
        ...(phones ? PHONE_COLUMNS.map((name) => ({ name, type: 'text' })) : []),
      ],
      values: [
        ...used.map((name) => rows.map((r) => (name === 'tags' ? JSON.stringify(r.tags) : (r[name] ?? null)))),
        ...(phones ? PHONE_COLUMNS.map((_, i) => phones.map((p) => p[i])) : []),
      ],
    });
  },
};
