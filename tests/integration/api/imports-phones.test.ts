// Phone numbers in through the API: the customers import keeps only mobiles in customers.phone (a
// fixed line or a marketplace's masked number goes to unreachable_phone), refuses invalid ones
// with the row and column, and never repeats them; opt-outs take a mobile only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

interface CustomerPhone {
  external_id: string;
  phone: string | null;
  unreachable_phone: string | null;
  phone_kind: string | null;
}

describe(`phone numbers in (${describeEngine('configured')})`, () => {
  let api: TestApi;
  const csv = (body: string) =>
    api.call('POST', '/api/imports/customers', {
      role: 'engineer',
      raw: body,
      headers: { 'content-type': 'text/csv' },
    });
  const phones = async (prefix: string) =>
    (
      await api.db.pool.query<CustomerPhone>(
        `SELECT external_id, phone, unreachable_phone, phone_kind FROM customers WHERE external_id LIKE $1 ORDER BY external_id`,
        [`${prefix}%`],
      )
    ).rows;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('a mobile is the phone; a fixed line or a masked number is unreachable; a blank has none', async () => {
    const res = await csv(
      'external_id,nickname,phone\n' +
        'ph-1,a,１３８ ００１３ ８０００\n' +
        'ph-2,b,+86 139-0013-9000\n' +
        'ph-3,c,010-12345678\n' +
        'ph-4,d,138****1234\n' +
        'ph-5,e,1**********\n' +
        'ph-6,f,\n' +
        'ph-7,g,+447911123456\n',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'succeeded', rowsRead: 7, inserted: 7, updated: 0 });
    expect(await phones('ph-')).toEqual([
      { external_id: 'ph-1', phone: '+8613800138000', unreachable_phone: null, phone_kind: 'mobile' },
      { external_id: 'ph-2', phone: '+8613900139000', unreachable_phone: null, phone_kind: 'mobile' },
      { external_id: 'ph-3', phone: null, unreachable_phone: '+861012345678', phone_kind: 'fixed_line' },
      { external_id: 'ph-4', phone: null, unreachable_phone: '138****1234', phone_kind: 'masked' },
      { external_id: 'ph-5', phone: null, unreachable_phone: '1**********', phone_kind: 'masked' },
      { external_id: 'ph-6', phone: null, unreachable_phone: null, phone_kind: null },
      { external_id: 'ph-7', phone: '+447911123456', unreachable_phone: null, phone_kind: 'mobile' },
    ]);
  });

  it('a re-import replaces all three: the masked number learns its mobile, the mobile is cleared', async () => {
    const res = await csv('external_id,nickname,phone\nph-4,d,13800138004\nph-1,a,\n');
    expect(res.body).toMatchObject({ state: 'succeeded', inserted: 0, updated: 2 });
    const rows = await phones('ph-');
    expect(rows.find((r) => r.external_id === 'ph-4')).toEqual({
      external_id: 'ph-4',
      phone: '+8613800138004',
      unreachable_phone: null,
      phone_kind: 'mobile',
    });
    expect(rows.find((r) => r.external_id === 'ph-1')).toEqual({
      external_id: 'ph-1',
      phone: null,
      unreachable_phone: null,
      phone_kind: null,
    });
    // A file without the phone column leaves the numbers alone.
    await csv('external_id,nickname\nph-3,c again\n');
    expect((await phones('ph-3'))[0]).toMatchObject({ unreachable_phone: '+861012345678', phone_kind: 'fixed_line' });
  });

  it('invalid numbers are row errors naming line and column, never repeated; nothing is stored', async () => {
    const before = await phones('');
    const res = await csv(
      'external_id,nickname,phone\n' +
        'bad-1,a,13800138000\n' +
        'bad-2,b,1380013800\n' + // the 10-digit typo
        'bad-3,c,400-820-8820\n' +
        'bad-4,d,13955556666 ext 12\n',
    );
    expect(res.status).toBe(422);
    expect(res.body.error.details.errors).toEqual(
      [3, 4, 5].map((line) => ({
        line,
        column: 'phone',
        message: 'expected a mobile number or a fixed line with its area code',
      })),
    );
    for (const cell of ['1380013800', '8208820', '13955556666']) expect(res.text).not.toContain(cell);
    expect(api.logs.join('\n')).not.toContain('1380013800');
    expect(await phones('')).toEqual(before);
  });

  it('opt-outs take a mobile: anything else is a 400 naming body.phone, without the number', async () => {
    for (const phone of ['1380013800', '010-12345678', '138****1234']) {
      const res = await api.call('POST', '/api/opt-outs', { role: 'engineer', body: { phone, text: 'T' } });
      expect(res.status).toBe(400);
      expect(res.body.error.path).toEqual(['body', 'phone']);
      expect(res.text).not.toContain(phone);
    }
    const ok = await api.call('POST', '/api/opt-outs', {
      role: 'engineer',
      body: { phone: '１３９ １２３４ ５６７８' },
    });
    expect(ok.status).toBe(200);
    expect((await api.db.pool.query('SELECT recipient FROM opt_outs ORDER BY recipient')).rows).toEqual([
      { recipient: '+8613912345678' },
    ]);
  });
});
