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

const COLUMNS: Record<keyof CustomerRow, Omit<UpsertColumn, 'name'>> = {
  external_id: { type: 'text' },
  nickname: { type: 'text' },
  name: { type: 'text' },
  gender: { type: 'text' },
  province: { type: 'text' },
  city: { type: 'text' },
  birthday: { type: 'date' },
  phone: { type: 'text' },
  email: { type: 'text' },
  tags: { type: 'jsonb', expr: 'ARRAY(SELECT jsonb_array_elements_text(u.tags))' },
  registered_at: { type: 'timestamptz' },
};

const columns = Object.keys(COLUMNS) as (keyof CustomerRow)[];

export const customersImport: ImportKind<CustomerRow> = {
  name: 'customers',
  columns,
  required: ['external_id', 'nickname'],
  row: CustomerRow,
  key: (r) => r.external_id,
  async write(db, rows, present) {
    const used = columns.filter((c) => present.has(c));
    return upsertBatch(db, {
      table: 'customers',
      key: 'external_id',
      columns: used.map((name) => ({ name, ...COLUMNS[name] })),
      values: used.map((name) => rows.map((r) => (name === 'tags' ? JSON.stringify(r.tags) : (r[name] ?? null)))),
    });
  },
};
