// The settings page's API: GET/PUT /api/settings (partial changes, 400s naming the field, admin
// only, audited), the coverage report (marketing SMS per customer over the last 365 days against
// the floor, paged, CSV) and the audit log's filters (who, action, period) with paging and total.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

/** 04:00 on 2 June in Shanghai, still 1 June in Berlin. */
const NOW = new Date('2026-06-01T20:00:00.000Z');
const DAY_MS = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

describe(`shop settings (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ now: () => NOW });
  });
  afterAll(async () => api?.close());

  const settingsRow = async () =>
    (await api.db.pool.query<{ updated_at: Date }>('SELECT updated_at FROM shop_settings')).rows[0];

  it('reads the defaults and the time zones the picker offers', async () => {
    const res = await api.call('GET', '/api/settings', { role: 'viewer' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.settings).toMatchObject({
      frequencyCap: { count: 6, days: 365 },
      coverageFloor: 5,
      quietHours: { from: '21:00', to: '08:00' },
      timeZone: 'Asia/Shanghai',
      smsSignature: null,
      attributionDays: 15,
      rfmMonetary: 'sum',
    });
    expect(res.body.timeZones).toEqual(expect.arrayContaining(['Asia/Shanghai', 'Europe/Berlin', 'UTC']));
    expect(res.body.timeZones).not.toContain('Asia/Beijing');
  });

  it('changes only the fields given, and audits what changed from what', async () => {
    const put = await api.call('PUT', '/api/settings', {
      body: {
        timeZone: 'Europe/Berlin',
        coverageFloor: 4,
        quietHours: null,
        smsSignature: '【回头小店】',
        frequencyCap: { count: 6, days: 365 },
      },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const after = (await api.call('GET', '/api/settings', { role: 'marketer' })).body.settings;
    expect(after).toMatchObject({
      timeZone: 'Europe/Berlin',
      coverageFloor: 4,
      quietHours: null,
      smsSignature: '【回头小店】',
      frequencyCap: { count: 6, days: 365 },
      attributionDays: 15,
      rfmMonetary: 'sum',
    });
    expect(put.body.settings).toEqual(after);
    // The shop overview's days (and RFM M, changed below) follow the stored settings.
    const overview = (await api.call('GET', '/api/shop/overview', { role: 'viewer' })).body;
    expect(overview).toMatchObject({ timeZone: 'Europe/Berlin', to: '2026-06-01', monetary: 'sum' });

    const log = await api.call('GET', '/api/audit?action=settings.update');
    expect(log.body.total).toBe(1);
    // The unchanged frequency cap is not listed.
    expect(log.body.entries[0].details).toEqual({
      role: 'admin',
      timeZone: { from: 'Asia/Shanghai', to: 'Europe/Berlin' },
      coverageFloor: { from: 5, to: 4 },
      quietHours: { from: { from: '21:00', to: '08:00' }, to: null },
      smsSignature: { from: null, to: '【回头小店】' },
    });

    const back = await api.call('PUT', '/api/settings', {
      body: { quietHours: { from: '22:00', to: '07:30' }, rfmMonetary: 'aov', attributionDays: 30 },
    });
    expect(back.body.settings).toMatchObject({
      quietHours: { from: '22:00', to: '07:30' },
      rfmMonetary: 'aov',
      attributionDays: 30,
      timeZone: 'Europe/Berlin',
    });
    expect((await api.call('GET', '/api/shop/overview')).body.monetary).toBe('aov');
  });

  it.each([
    ['an unknown time zone', { timeZone: 'Mars/Olympus' }, ['body', 'timeZone']],
    ['a time zone in free text', { timeZone: 'Beijing time' }, ['body', 'timeZone']],
    ['a cap over zero days', { frequencyCap: { count: 6, days: 0 } }, ['body', 'frequencyCap', 'days']],
    ['a negative floor', { coverageFloor: -1 }, ['body', 'coverageFloor']],
    ['an empty quiet window', { quietHours: { from: '21:00', to: '21:00' } }, ['body', 'quietHours', 'to']],
    ['a quiet hour past 23:59', { quietHours: { from: '24:00', to: '08:00' } }, ['body', 'quietHours', 'from']],
    ['a signature of 21 characters', { smsSignature: '【'.padEnd(21, '店') }, ['body', 'smsSignature']],
    ['an attribution window of 91 days', { attributionDays: 91 }, ['body', 'attributionDays']],
    ['an unknown RFM choice', { rfmMonetary: 'median' }, ['body', 'rfmMonetary']],
    ['nothing to change', {}, ['body']],
  ])('refuses %s with a 400 naming the field, changing nothing', async (_name, body, path) => {
    const before = await settingsRow();
    const res = await api.call('PUT', '/api/settings', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.path).toEqual(path);
    expect((await settingsRow()).updated_at.getTime()).toBe(before.updated_at.getTime());
  });

  it('refuses an unknown field', async () => {
    const res = await api.call('PUT', '/api/settings', { body: { timezone: 'UTC' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'unknown_field' });
  });

  it('lets only admins change settings', async () => {
    for (const role of ['marketer', 'ops', 'engineer', 'viewer'] as const) {
      const res = await api.call('PUT', '/api/settings', { role, body: { coverageFloor: 1 } });
      expect(res.status, role).toBe(403);
    }
    expect((await api.call('GET', '/api/settings', { role: 'admin' })).body.settings.coverageFloor).toBe(4);
  });

  describe('coverage report', () => {
    const ids: Record<'often' | 'twice' | 'never', number> = { often: 0, twice: 0, never: 0 };

    beforeAll(async () => {
      for (const name of ['often', 'twice', 'never'] as const) {
        const { rows } = await api.db.pool.query<{ id: string }>(
          "INSERT INTO customers (nickname, phone) VALUES ($1, '+8613800000000') RETURNING id",
          [name === 'never' ? '=cmd' : name],
        );
        ids[name] = Number(rows[0].id);
      }
      const message = (customer: number, cls: string, sentAt: Date | null, n: number) =>
        api.db.pool.query(
          `INSERT INTO messages (message_key, customer_id, class, status, sent_at, skip_reason, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            `cov:${customer}:${n}`,
            customer,
            cls,
            sentAt ? 'delivered' : 'skipped',
            sentAt,
            sentAt ? null : 'frequency_cap',
            sentAt ?? NOW,
          ],
        );
      for (let i = 0; i < 6; i++) await message(ids.often, 'marketing', daysAgo(10 + i * 50), i);
      await message(ids.twice, 'marketing', daysAgo(3), 0);
      await message(ids.twice, 'marketing', daysAgo(364), 1);
      // Not touches: older than a year, a notification, a skipped send.
      await message(ids.twice, 'marketing', daysAgo(366), 2);
      await message(ids.twice, 'notification', daysAgo(1), 3);
      await message(ids.twice, 'marketing', null, 4);
    });

    it('counts marketing SMS sent in the last 365 days per customer, fewest first, against the floor', async () => {
      const res = await api.call('GET', '/api/settings/coverage', { role: 'marketer' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        floor: 4,
        cap: { count: 6, days: 365 },
        from: daysAgo(365).toISOString(),
        to: NOW.toISOString(),
        customers: 3,
        belowFloor: 2,
        atCap: 1,
        total: 3,
      });
      expect(res.body.rows).toEqual([
        { customerId: ids.never, nickname: '=cmd', touches: 0, lastTouchAt: null },
        { customerId: ids.twice, nickname: 'twice', touches: 2, lastTouchAt: daysAgo(3).toISOString() },
        { customerId: ids.often, nickname: 'often', touches: 6, lastTouchAt: daysAgo(10).toISOString() },
      ]);
    });

    it('pages, filters to those below the floor, and exports CSV', async () => {
      const page = await api.call('GET', '/api/settings/coverage?below=true&limit=1&offset=1');
      expect(page.body.total).toBe(2);
      expect(page.body.rows.map((r: { customerId: number }) => r.customerId)).toEqual([ids.twice]);

      const zh = await api.call('GET', '/api/settings/coverage?format=csv&below=true&limit=1');
      expect(zh.status).toBe(200);
      expect(zh.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(zh.text.split('\r\n')).toEqual([
        '\uFEFF客户编号,昵称,营销触达次数,最近触达时间,低于覆盖下限',
        `${ids.never},'=cmd,0,,true`,
        `${ids.twice},twice,2,${daysAgo(3).toISOString()},true`,
        '',
      ]);
      const en = await api.call('GET', '/api/settings/coverage?format=csv&lang=en');
      expect(en.text.split('\r\n')[0]).toBe('\uFEFFcustomer_id,nickname,touches,last_touch_at,below_floor');
      expect(en.text.split('\r\n')).toHaveLength(5);
    });

    it('is for the people who choose audiences', async () => {
      expect((await api.call('GET', '/api/settings/coverage', { role: 'viewer' })).status).toBe(403);
      expect((await api.call('GET', '/api/settings/coverage', { role: 'ops' })).status).toBe(403);
      const bad = await api.call('GET', '/api/settings/coverage?limit=0');
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toEqual(['query', 'limit']);
    });
  });

  describe('audit log filters', () => {
    let marketerKeyActor: string;
    let adminActor: string;
    /** The admin's key.create entries (the test API's own keys were made by the system). */
    const adminKeys = () => `/api/audit?action=key.create&actor=${encodeURIComponent(adminActor)}`;

    beforeAll(async () => {
      // Three keys made by the admin, one revoked; then entries moved to known instants.
      const admin = await api.db.pool.query<{ id: string }>("SELECT id FROM api_keys WHERE name = 'first admin'");
      adminActor = `key:${admin.rows[0].id}`;
      const made: string[] = [];
      for (const name of ['ann', 'bo', 'cy']) {
        const res = await api.call('POST', '/api/keys', { body: { name, role: 'marketer' } });
        made.push(res.body.id);
      }
      await api.call('DELETE', `/api/keys/${made[2]}`);
      // A write by the marketer key of the test API (its journey).
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'audit me' } });
      marketerKeyActor = (
        await api.db.pool.query<{ actor: string }>("SELECT actor FROM audit_log WHERE action = 'journey.create'")
      ).rows[0].actor;
      // Berlin (the shop's zone now, UTC+2 in May): the key.create entries at 00:30 local on 2026-05-02,
      // 05-03 and 05-04, which are still the day before in UTC.
      await api.db.pool.query(
        `UPDATE audit_log SET at = '2026-05-01T22:30:00Z'::timestamptz + make_interval(days => (SELECT count(*)::int
           FROM audit_log b WHERE b.action = 'key.create' AND b.actor = $1 AND b.id < audit_log.id))
         WHERE action = 'key.create' AND actor = $1`,
        [adminActor],
      );
    });

    it('filters by action and by who, naming the key', async () => {
      const created = await api.call('GET', adminKeys(), { role: 'ops' });
      expect(created.status).toBe(200);
      expect(created.body.total).toBe(3);
      expect(created.body.actions).toEqual(expect.arrayContaining(['key.create', 'key.revoke', 'settings.update']));

      const byMarketer = await api.call('GET', `/api/audit?actor=${encodeURIComponent(marketerKeyActor)}`);
      expect(byMarketer.body.total).toBe(1);
      expect(byMarketer.body.entries[0]).toMatchObject({ action: 'journey.create', actorName: 'marketer' });
      expect(byMarketer.body.actors).toEqual(expect.arrayContaining([{ actor: marketerKeyActor, name: 'marketer' }]));
    });

    it("filters by local days in the shop's time zone (to inclusive) and by instants (to exclusive)", async () => {
      const days = await api.call('GET', `${adminKeys()}&from=2026-05-02&to=2026-05-02`);
      expect(days.body.total).toBe(1);
      expect(days.body.entries[0].at).toBe('2026-05-01T22:30:00.000Z');

      const instants = await api.call(
        'GET',
        `${adminKeys()}&from=${encodeURIComponent('2026-05-01T22:30:00Z')}&to=${encodeURIComponent('2026-05-03T22:30:00Z')}`,
      );
      expect(instants.body.total).toBe(2);

      const reversed = await api.call('GET', '/api/audit?from=2026-05-03&to=2026-05-01');
      expect(reversed.status).toBe(400);
      expect(reversed.body.error.path).toEqual(['query', 'to']);
      const notADate = await api.call('GET', '/api/audit?from=yesterday');
      expect(notADate.status).toBe(400);
      expect(notADate.body.error.path).toEqual(['query', 'from']);
    });

    it('pages newest first with the total of every page', async () => {
      const first = await api.call('GET', `${adminKeys()}&limit=2`);
      const second = await api.call('GET', `${adminKeys()}&limit=2&offset=2`);
      expect(first.body.total).toBe(3);
      expect(second.body.total).toBe(3);
      const ids = [...first.body.entries, ...second.body.entries].map((e: { id: number }) => e.id);
      expect(ids).toHaveLength(3);
      expect([...ids].sort((a, b) => b - a)).toEqual(ids);
      expect(first.body.entries.every((e: { actorName: string }) => e.actorName === 'first admin')).toBe(true);
    });
  });
});
