// Recurring schedules on the time-skipping server with the real worker: the scheduler tick, run at
// chosen instants of the engine's clock, turns each occurrence into exactly one run (also when
// ticked twice, from two concurrent ticks, or after a restart that lost its progress), none after
// `until`, a delete or a pause; bad rules are 400s with the field path and write nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDueRuns } from '../../../engine/src/scheduler/schedule.ts';
import { insertCustomers } from '../db/fixtures.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApiOnTemporal, waitThenSms } from './helpers.ts';

let clock = new Date('2030-02-27T00:00:00Z');
const at = (instant: string) => (clock = new Date(instant));
const tick = (api: TestApi) => startDueRuns(api.deps, clock);

describe(`recurring schedules (${describeEngine('configured')})`, () => {
  let api: TestApi;
  let journeyId: string;

  const runsOf = async (scheduleId: string) =>
    (
      await api.db.pool.query<{ id: string; occurrence: Date; state: string }>(
        'SELECT id, occurrence, state FROM runs WHERE schedule_id = $1 ORDER BY occurrence',
        [scheduleId],
      )
    ).rows;
  const schedulesCount = async () =>
    (await api.db.pool.query('SELECT count(*)::int AS n FROM schedules')).rows[0].n as number;

  beforeAll(async () => {
    ({ api } = await startTestApiOnTemporal({ now: () => clock }));
    await insertCustomers(api.db.pool, [1, 2, 3]);
    journeyId = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'daily tip', draft: waitThenSms } })
    ).body.id;
    expect((await api.call('POST', `/api/journeys/${journeyId}/publish`, { role: 'marketer', body: {} })).status).toBe(
      201,
    );
  });
  afterAll(async () => api?.close());

  it('a daily schedule: one run per occurrence, however often and however concurrently the scheduler ticks; none after until', async () => {
    at('2030-02-27T00:00:00Z');
    const res = await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
      role: 'marketer',
      body: { every: 'day', at: '09:30', startFrom: '2030-03-01', until: '2030-03-03' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const schedule = res.body;
    // The journey's zone (Asia/Shanghai by default); local dates as bounds.
    expect(schedule).toMatchObject({
      every: 'day',
      at: '09:30',
      timeZone: 'Asia/Shanghai',
      state: 'active',
      versionId: null,
      startFrom: '2030-02-28T16:00:00.000Z',
      until: '2030-03-03T15:59:59.999Z',
      nextAt: '2030-03-01T01:30:00.000Z',
    });
    expect(await auditActions(api, schedule.id)).toEqual(['schedule.create']);

    // Not due yet.
    at('2030-03-01T01:29:59Z');
    expect(await tick(api)).toEqual([]);
    expect(await runsOf(schedule.id)).toEqual([]);

    // Due: one run, started at once, naming the schedule and the occurrence; a second tick adds nothing.
    at('2030-03-01T01:30:00Z');
    const [first] = await tick(api);
    expect(first).toEqual(expect.any(String));
    expect(await tick(api)).toEqual([]);
    const detail = await api.call('GET', `/api/runs/${first}`, { role: 'viewer' });
    expect(detail.body).toMatchObject({
      state: 'running',
      workflowId: `run:${first}`,
      scheduleId: schedule.id,
      occurrence: '2030-03-01T01:30:00.000Z',
    });
    const listed = await api.call('GET', `/api/runs?journeyId=${journeyId}`, { role: 'viewer' });
    expect(listed.body.runs).toEqual([
      expect.objectContaining({ id: first, scheduleId: schedule.id, occurrence: '2030-03-01T01:30:00.000Z' }),
    ]);
    expect((await api.call('GET', `/api/schedules/${schedule.id}`, { role: 'viewer' })).body.nextAt).toBe(
      '2030-03-02T01:30:00.000Z',
    );

    // Two engines ticking at the same moment: still one run.
    at('2030-03-02T01:31:00Z');
    const concurrent = await Promise.all([tick(api), tick(api), tick(api)]);
    expect(concurrent.flat()).toHaveLength(1);
    expect((await runsOf(schedule.id)).map((r) => r.occurrence.toISOString())).toEqual([
      '2030-03-01T01:30:00.000Z',
      '2030-03-02T01:30:00.000Z',
    ]);

    // A restart that lost the advance of next_at (e.g. a crash between two writes) cannot repeat an occurrence.
    await api.db.pool.query(`UPDATE schedules SET next_at = '2030-03-02T01:30:00Z' WHERE id = $1`, [schedule.id]);
    expect(await tick(api)).toEqual([]);
    expect(await runsOf(schedule.id)).toHaveLength(2);

    // Ticked only after until: the last occurrence within until (03-03) runs; then the schedule has ended.
    at('2030-03-05T12:00:00Z');
    expect(await tick(api)).toHaveLength(1);
    expect((await runsOf(schedule.id)).map((r) => r.occurrence.toISOString())).toEqual([
      '2030-03-01T01:30:00.000Z',
      '2030-03-02T01:30:00.000Z',
      '2030-03-03T01:30:00.000Z',
    ]);
    expect((await api.call('GET', `/api/schedules/${schedule.id}`)).body).toMatchObject({
      state: 'ended',
      nextAt: null,
    });
    at('2030-03-09T12:00:00Z');
    expect(await tick(api)).toEqual([]);
    expect(await runsOf(schedule.id)).toHaveLength(3);
    const bySchedule = await api.call('GET', `/api/runs?scheduleId=${schedule.id}`, { role: 'viewer' });
    expect(bySchedule.body.runs.map((r: { occurrence: string }) => r.occurrence)).toEqual([
      '2030-03-03T01:30:00.000Z',
      '2030-03-02T01:30:00.000Z',
      '2030-03-01T01:30:00.000Z',
    ]);
  });

  it('missed occurrences are not caught up: the latest due one runs once', async () => {
    at('2030-04-01T00:00:00Z');
    const s = (
      await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
        role: 'marketer',
        body: { every: 'day', at: '10:00', timeZone: 'UTC' },
      })
    ).body;
    expect(s.nextAt).toBe('2030-04-01T10:00:00.000Z');
    at('2030-04-04T11:00:00Z');
    expect(await tick(api)).toHaveLength(1);
    expect((await runsOf(s.id)).map((r) => r.occurrence.toISOString())).toEqual(['2030-04-04T10:00:00.000Z']);
    expect((await api.call('GET', `/api/schedules/${s.id}`)).body.nextAt).toBe('2030-04-05T10:00:00.000Z');
    expect((await api.call('DELETE', `/api/schedules/${s.id}`, { role: 'marketer' })).status).toBe(200);
  });

  it('every Monday at 10:00: paused, occurrences pass; resumed, it goes on; deleted, nothing more; marketer only, audited', async () => {
    at('2030-05-01T00:00:00Z'); // a Wednesday
    expect(
      (
        await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
          role: 'viewer',
          body: { every: 'week', at: '10:00', weekday: 1 },
        })
      ).status,
    ).toBe(403);
    const s = (
      await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
        role: 'marketer',
        body: { every: 'week', at: '10:00', weekday: 1 },
      })
    ).body;
    expect(s).toMatchObject({ weekday: 1, monthDay: null, nextAt: '2030-05-06T02:00:00.000Z' });

    expect((await api.call('POST', `/api/schedules/${s.id}/pause`, { role: 'viewer' })).status).toBe(403);
    expect((await api.call('POST', `/api/schedules/${s.id}/pause`, { role: 'marketer' })).body.state).toBe('paused');
    expect((await api.call('POST', `/api/schedules/${s.id}/pause`, { role: 'marketer' })).status).toBe(409);
    at('2030-05-06T03:00:00Z');
    expect(await tick(api)).toEqual([]);

    // Resumed after the missed Monday: from the next one.
    const resumed = await api.call('POST', `/api/schedules/${s.id}/resume`, { role: 'marketer' });
    expect(resumed.body).toMatchObject({ state: 'active', nextAt: '2030-05-13T02:00:00.000Z' });
    at('2030-05-13T02:00:00Z');
    expect(await tick(api)).toHaveLength(1);

    const deleted = await api.call('DELETE', `/api/schedules/${s.id}`, { role: 'marketer' });
    expect(deleted.body).toMatchObject({ state: 'deleted', nextAt: null });
    expect((await api.call('DELETE', `/api/schedules/${s.id}`, { role: 'marketer' })).status).toBe(409);
    at('2030-05-27T03:00:00Z');
    expect(await tick(api)).toEqual([]);
    expect(await runsOf(s.id)).toHaveLength(1);
    expect(await auditActions(api, s.id)).toEqual([
      'schedule.create',
      'schedule.pause',
      'schedule.resume',
      'schedule.delete',
    ]);

    const listed = await api.call('GET', `/api/journeys/${journeyId}/schedules`, { role: 'viewer' });
    expect(listed.body.schedules.find((x: { id: string }) => x.id === s.id)).toMatchObject({ state: 'deleted' });
  });

  it('a paused journey skips its occurrences; a stopped one ends its schedules', async () => {
    const other = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'monthly', draft: waitThenSms } })
    ).body.id;
    await api.call('POST', `/api/journeys/${other}/publish`, { role: 'marketer', body: {} });
    at('2030-06-01T00:00:00Z');
    const s = (
      await api.call('POST', `/api/journeys/${other}/schedules`, {
        role: 'marketer',
        body: { every: 'month', at: '08:00', monthDay: 31, version: 1 },
      })
    ).body;
    expect(s).toMatchObject({ monthDay: 31, version: 1, nextAt: '2030-06-30T00:00:00.000Z' }); // June has 30 days

    expect((await api.call('POST', `/api/journeys/${other}/pause`, { role: 'ops' })).status).toBe(200);
    at('2030-06-30T01:00:00Z');
    expect(await tick(api)).toEqual([]);
    expect(await auditActions(api, s.id)).toEqual(['schedule.create', 'schedule.skip']);
    expect((await api.call('GET', `/api/schedules/${s.id}`)).body.nextAt).toBe('2030-07-31T00:00:00.000Z');

    await api.call('POST', `/api/journeys/${other}/stop`, { role: 'ops' });
    at('2030-08-01T00:00:00Z');
    expect(await tick(api)).toEqual([]);
    expect((await api.call('GET', `/api/schedules/${s.id}`)).body).toMatchObject({ state: 'ended', nextAt: null });
    expect(await runsOf(s.id)).toEqual([]);
    expect(
      (
        await api.call('POST', `/api/journeys/${other}/schedules`, {
          role: 'marketer',
          body: { every: 'day', at: '08:00' },
        })
      ).status,
    ).toBe(409);
  });

  it.each([
    ['a bad time', { every: 'day', at: '25:00' }, ['body', 'at'], 'invalid_request'],
    ['an unknown weekday', { every: 'week', at: '10:00', weekday: 8 }, ['body', 'weekday'], 'invalid_request'],
    ['a weekly schedule without a weekday', { every: 'week', at: '10:00' }, ['body', 'weekday'], 'invalid_request'],
    [
      'a weekday on a daily schedule',
      { every: 'day', at: '10:00', weekday: 1 },
      ['body', 'weekday'],
      'invalid_request',
    ],
    ['a monthly schedule without a day', { every: 'month', at: '10:00' }, ['body', 'monthDay'], 'invalid_request'],
    ['day 32', { every: 'month', at: '10:00', monthDay: 32 }, ['body', 'monthDay'], 'invalid_request'],
    ['an unknown period', { every: 'hour', at: '10:00' }, ['body', 'every'], 'invalid_request'],
    [
      'an unknown time zone',
      { every: 'day', at: '10:00', timeZone: 'Mars/Olympus' },
      ['body', 'timeZone'],
      'invalid_request',
    ],
    [
      'a malformed date',
      { every: 'day', at: '10:00', startFrom: 'tomorrow' },
      ['body', 'startFrom'],
      'invalid_request',
    ],
    [
      'until before startFrom',
      { every: 'day', at: '10:00', startFrom: '2031-01-10', until: '2031-01-05' },
      ['body', 'until'],
      'invalid_request',
    ],
    [
      'until before the first occurrence',
      { every: 'day', at: '10:00', startFrom: '2031-01-10T03:00:00Z', until: '2031-01-10T04:00:00Z' },
      ['body', 'until'],
      'invalid_request',
    ],
    ['an extra field', { every: 'day', at: '10:00', cron: '* * * * *' }, ['body', 'cron'], 'unknown_field'],
  ])('rejects %s with 400 at the field, writing nothing', async (_name, body, path, code) => {
    const before = await schedulesCount();
    const res = await api.call('POST', `/api/journeys/${journeyId}/schedules`, { role: 'marketer', body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ status: 400, code, path });
    expect(await schedulesCount()).toBe(before);
  });

  it('unknown journeys, versions and schedules are 404s; unpublished and triggered journeys are 422s', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    expect(
      (
        await api.call('POST', `/api/journeys/${nobody}/schedules`, {
          role: 'marketer',
          body: { every: 'day', at: '10:00' },
        })
      ).status,
    ).toBe(404);
    const v = await api.call('POST', `/api/journeys/${journeyId}/schedules`, {
      role: 'marketer',
      body: { every: 'day', at: '10:00', version: 99 },
    });
    expect(v.body.error).toMatchObject({ status: 404, path: ['body', 'version'] });
    expect((await api.call('GET', `/api/schedules/${nobody}`)).status).toBe(404);
    expect((await api.call('DELETE', '/api/schedules/not-a-uuid', { role: 'marketer' })).status).toBe(404);
    const draft = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'unpublished', draft: waitThenSms } })
    ).body.id;
    expect(
      (
        await api.call('POST', `/api/journeys/${draft}/schedules`, {
          role: 'marketer',
          body: { every: 'day', at: '10:00' },
        })
      ).body.error.code,
    ).toBe('not_published');
    const triggered = (await api.call('POST', '/api/templates/paymentReminder/journeys', { role: 'marketer' })).body.id;
    await api.call('POST', `/api/journeys/${triggered}/publish`, { role: 'marketer', body: {} });
    expect(
      (
        await api.call('POST', `/api/journeys/${triggered}/schedules`, {
          role: 'marketer',
          body: { every: 'day', at: '10:00' },
        })
      ).body.error.code,
    ).toBe('not_audience');
  });

  it("the schedule drawn on the journey's entry is offered as a ready body, and creating it works", async () => {
    const drawnGraph = structuredClone(waitThenSms);
    Object.assign(drawnGraph.nodes[0].config, {
      schedule: { kind: 'recurring', every: 'week', at: '09:30', weekday: 5, until: '2030-12-31' },
    });
    const id = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: 'drawn', draft: drawnGraph } })
    ).body.id;
    expect((await api.call('GET', `/api/journeys/${id}/schedules`)).body).toEqual({ schedules: [], drawn: null }); // nothing published yet
    await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    const listed = await api.call('GET', `/api/journeys/${id}/schedules`, { role: 'viewer' });
    expect(listed.body).toEqual({
      schedules: [],
      drawn: { every: 'week', at: '09:30', weekday: 5, until: '2030-12-31' },
    });
    at('2030-07-01T00:00:00Z');
    const created = await api.call('POST', `/api/journeys/${id}/schedules`, {
      role: 'marketer',
      body: listed.body.drawn,
    });
    expect(created.body).toMatchObject({
      every: 'week',
      weekday: 5,
      nextAt: '2030-07-05T01:30:00.000Z',
      until: '2030-12-31T15:59:59.999Z',
    });
    // The journey that was published with a one-off entry offers nothing.
    expect((await api.call('GET', `/api/journeys/${journeyId}/schedules`)).body.drawn).toBeNull();
  });
});
