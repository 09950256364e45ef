// Saved segments (人群): CRUD with counts and used-by, the segments one customer is in, and
// saved_segment conditions in journeys: checked at validate/publish, snapshotted into the plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { auditActions, startTestApi, startTestApiOnTemporal, until } from './helpers.ts';

const inProvinces = (...values: string[]) => ({
  where: { kind: 'text', field: 'province', compare: { op: 'in', values } },
  exclude: [],
});
const tagged = (tag: string) => ({ where: { kind: 'tags', op: 'has_any', tags: [tag] }, exclude: [] });
const saved = (segmentId: string) => ({ kind: 'saved_segment' as const, segmentId });

/** An audience journey entering a saved segment, split on another. */
const journeyOn = (entryId: string, splitId: string) => ({
  name: '人群旅程',
  settings: { holdoutPercent: 0, sms: { signature: '【回头小店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: saved(entryId) } }, 0, 0),
    node('split', 'split.segment', { branches: [{ key: 'vip', name: 'VIP', when: saved(splitId) }] }, 1, 0),
    node('vip', 'exit', {}, 2, 0),
    node('rest', 'exit', {}, 2, 1),
  ],
  edges: [edge('entry', 'split'), edge('split', 'vip', 'vip'), edge('split', 'rest', 'else')],
});

describe(`saved segments (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    // 广东: 1, 2, 3 (3 opted out); 浙江: 4, 5; VIP: 2, 4.
    await api.db.pool.query(
      `INSERT INTO customers (id, nickname, province, phone, tags) VALUES
         (1, 'c1', '广东', '+8613800000001', '{}'), (2, 'c2', '广东', '+8613800000002', '{VIP}'),
         (3, 'c3', '广东', '+8613800000003', '{}'), (4, 'c4', '浙江', '+8613800000004', '{VIP}'),
         (5, 'c5', '浙江', '+8613800000005', '{}')`,
    );
    await api.db.pool.query(
      `INSERT INTO opt_outs (customer_id, recipient, channel) VALUES (3, '+8613800000003', 'sms')`,
    );
  });
  afterAll(async () => api?.close());

  const create = async (name: string, definition: unknown) => {
    const res = await api.call('POST', '/api/segments', { role: 'marketer', body: { name, definition } });
    expect(res.status, res.text).toBe(201);
    return res.body as { id: string; count: number };
  };

  it('creates, reads, lists with counts, renames, redefines and archives, each write audited', async () => {
    const south = await create('华南', { ...inProvinces('广东'), exclude: [{ kind: 'opted_out' }] });
    expect(south).toMatchObject({ name: '华南', archived: false, count: 2, usedBy: [], createdBy: expect.any(String) });
    const vip = await create('VIP', tagged('VIP'));
    expect(vip.count).toBe(2);

    const one = await api.call('GET', `/api/segments/${south.id}`, { role: 'viewer' });
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: south.id, count: 2, definition: { exclude: [{ kind: 'opted_out' }] } });

    const list = await api.call('GET', '/api/segments', { role: 'viewer' });
    expect(list.status).toBe(200);
    expect(list.body.segments.map((s: { name: string; count: number }) => [s.name, s.count])).toEqual([
      ['VIP', 2],
      ['华南', 2],
    ]);
    const uncounted = await api.call('GET', '/api/segments?counts=false', { role: 'viewer' });
    expect(uncounted.body.segments.map((s: { count: number | null }) => s.count)).toEqual([null, null]);

    const renamed = await api.call('PATCH', `/api/segments/${south.id}`, {
      role: 'marketer',
      body: { name: '华南买家', definition: inProvinces('广东', '浙江') },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toMatchObject({ name: '华南买家', count: 5 });

    const archived = await api.call('POST', `/api/segments/${south.id}/archive`, { role: 'marketer' });
    expect(archived.status).toBe(200);
    expect(archived.body.archived).toBe(true);
    const after = await api.call('GET', '/api/segments?counts=false', { role: 'viewer' });
    expect(after.body.segments.map((s: { id: string }) => s.id)).toEqual([vip.id]);
    // The archived name is free again; the archived segment itself can still be read.
    await create('华南买家', inProvinces('广东'));
    expect((await api.call('GET', `/api/segments/${south.id}`)).body.archived).toBe(true);

    expect(await auditActions(api, south.id)).toEqual(['segment.create', 'segment.update', 'segment.archive']);
  });

  it('answers bad requests with 4xx at the field', async () => {
    const expectError = async (
      res: { status: number; body: { error: { code: string; path: unknown[] } }; text: string },
      status: number,
      code: string,
      path: unknown[],
    ) => {
      expect(res.status, res.text).toBe(status);
      expect(res.body.error).toMatchObject({ code, path });
    };
    const post = (body: unknown, role: 'marketer' | 'viewer' = 'marketer') =>
      api.call('POST', '/api/segments', { role, body });

    await expectError(await post({ name: 'x', definition: tagged('a') }, 'viewer'), 403, 'forbidden', []);
    await expectError(await post({ name: '  ', definition: tagged('a') }), 400, 'invalid_request', ['body', 'name']);
    await expectError(
      await post({ name: 'bad', definition: { where: { kind: 'tags', op: 'has_some', tags: ['a'] } } }),
      400,
      'invalid_request',
      ['body', 'definition', 'where', 'op'],
    );
    await expectError(await post({ name: 'x', definition: tagged('a'), extra: 1 }), 400, 'unknown_field', [
      'body',
      'extra',
    ]);
    const first = await create('唯一', tagged('a'));
    await expectError(await post({ name: '唯一', definition: tagged('b') }), 409, 'segment_name_taken', [
      'body',
      'name',
    ]);
    await expectError(
      await post({
        name: '订单',
        definition: { where: { kind: 'all', of: [{ kind: 'trigger_order_paid', paid: true }] } },
      }),
      422,
      'needs_journey_context',
      ['body', 'definition', 'where', 'of', 0],
    );
    await expectError(
      await post({
        name: '品类',
        definition: {
          where: {
            kind: 'purchase',
            metric: 'count',
            window: { kind: 'all_time' },
            categories: ['no_such'],
            compare: { op: 'gte', value: 1 },
          },
        },
      }),
      422,
      'category_unknown',
      ['body', 'definition', 'where', 'categories', 0],
    );
    await expectError(
      await post({ name: '套娃', definition: { where: { kind: 'not', of: saved(first.id) } } }),
      422,
      'saved_segment_nested',
      ['body', 'definition', 'where', 'of'],
    );

    await expectError(await api.call('GET', '/api/segments/not-a-uuid'), 404, 'not_found', ['params', 'id']);
    await expectError(await api.call('GET', '/api/segments/00000000-0000-4000-8000-000000000000'), 404, 'not_found', [
      'params',
      'id',
    ]);
    await expectError(
      await api.call('PATCH', `/api/segments/${first.id}`, { role: 'marketer', body: {} }),
      400,
      'invalid_request',
      ['body'],
    );
    await api.call('POST', `/api/segments/${first.id}/archive`, { role: 'marketer' });
    await expectError(
      await api.call('POST', `/api/segments/${first.id}/archive`, { role: 'marketer' }),
      409,
      'conflict',
      ['params', 'id'],
    );
    await expectError(
      await api.call('PATCH', `/api/segments/${first.id}`, { role: 'marketer', body: { name: 'y' } }),
      409,
      'conflict',
      ['params', 'id'],
    );
    await expectError(await api.call('GET', '/api/segments?customerId=abc'), 400, 'invalid_request', [
      'query',
      'customerId',
    ]);
    await expectError(await api.call('GET', '/api/segments?customerId=999'), 404, 'not_found', ['query', 'customerId']);
    await expectError(await api.call('GET', '/api/segments?counts=maybe'), 400, 'invalid_request', ['query', 'counts']);
  });

  it("lists the segments one customer is in (the customer page's question)", async () => {
    const names = async (customerId: number) =>
      (await api.call('GET', `/api/segments?customerId=${customerId}&counts=false`, { role: 'viewer' })).body.segments
        .map((s: { name: string }) => s.name)
        .filter((n: string) => n === 'VIP' || n === '华南买家');
    expect(await names(2)).toEqual(['VIP', '华南买家']);
    expect(await names(1)).toEqual(['华南买家']);
    expect(await names(4)).toEqual(['VIP']);
    expect(await names(5)).toEqual([]);
  });

  it('checks saved_segment conditions, lists the journeys using a segment and snapshots the definition at publish', async () => {
    const entry = await create('旅程入口', inProvinces('广东'));
    const vip = await create('旅程VIP', tagged('VIP'));
    const j = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: { name: '人群旅程', draft: journeyOn(entry.id, vip.id) },
    });
    expect(j.status, j.text).toBe(201);
    const id = j.body.id as string;

    const usedBy = async (segmentId: string) =>
      (await api.call('GET', `/api/segments/${segmentId}?counts=false`)).body.usedBy as { journeyId: string }[];
    expect(await usedBy(entry.id)).toEqual([{ journeyId: id, name: '人群旅程', state: 'draft' }]);
    expect(await usedBy(vip.id)).toEqual([{ journeyId: id, name: '人群旅程', state: 'draft' }]);

    const published = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(published.status, published.text).toBe(201);
    const version = await api.call('GET', `/api/journeys/${id}/versions/1`);
    expect(version.body.plan.nodes.entry.params.segment.where).toMatchObject({
      kind: 'saved_segment',
      segmentId: entry.id,
      definition: { where: { kind: 'text', field: 'province', compare: { op: 'in', values: ['广东'] } } },
    });
    expect(version.body.graph.nodes[0].config.segment.where).toEqual(saved(entry.id));
    expect((await api.call('GET', `/api/journeys/${id}/review?version=1`)).body.audienceCount).toBe(3);

    // Editing the segment changes the draft's audience, not the published version's.
    await api.call('PATCH', `/api/segments/${entry.id}`, {
      role: 'marketer',
      body: { definition: inProvinces('广东', '浙江') },
    });
    expect((await api.call('GET', `/api/journeys/${id}/review`)).body.audienceCount).toBe(5);
    expect((await api.call('GET', `/api/journeys/${id}/review?version=1`)).body.audienceCount).toBe(3);
    const preview = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: { where: { kind: 'all', of: [saved(entry.id), saved(vip.id)] } } },
    });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.count).toBe(2);
    const republished = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(republished.status).toBe(201);
    expect(republished.body.version).toBe(2);

    // An archived or unknown segment: the validation names it at its path, and so does a preview.
    await api.call('POST', `/api/segments/${vip.id}/archive`, { role: 'marketer' });
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const draft = journeyOn(unknownId, vip.id);
    const validated = await api.call('POST', `/api/journeys/${id}/validate`, { role: 'viewer', body: { draft } });
    expect(validated.status).toBe(200);
    expect(validated.body.ok).toBe(false);
    expect(
      validated.body.errors.map((e: { code: string; nodeId: string; path: unknown[] }) => [e.code, e.nodeId, e.path]),
    ).toEqual([
      ['SAVED_SEGMENT_UNKNOWN', 'entry', ['nodes', 0, 'config', 'segment', 'where']],
      ['SAVED_SEGMENT_ARCHIVED', 'split', ['nodes', 1, 'config', 'branches', 0, 'when']],
    ]);
    const archivedPreview = await api.call('POST', '/api/segments/preview', {
      role: 'marketer',
      body: { segment: { where: { kind: 'not', of: saved(vip.id) } } },
    });
    expect(archivedPreview.status).toBe(422);
    expect(archivedPreview.body.error).toMatchObject({
      code: 'SAVED_SEGMENT_ARCHIVED',
      path: ['body', 'segment', 'where', 'of'],
    });
    const refused = await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.errors.map((e: { code: string }) => e.code)).toEqual(['SAVED_SEGMENT_ARCHIVED']);
    // The archived segment no longer lists users; the journey still uses the live one.
    expect(await usedBy(entry.id)).toEqual([{ journeyId: id, name: '人群旅程', state: 'published' }]);
  });
});

describe(`a run on saved segments (${describeEngine('configured')}, Temporal)`, () => {
  let api: TestApi;
  beforeAll(async () => {
    ({ api } = await startTestApiOnTemporal());
    await api.db.pool.query(
      `INSERT INTO customers (id, nickname, province, tags) VALUES
         (1, 'c1', '广东', '{}'), (2, 'c2', '广东', '{VIP}'), (3, 'c3', '广东', '{}'), (4, 'c4', '浙江', '{VIP}')`,
    );
  });
  afterAll(async () => api?.close());

  it('enters and splits on the definitions published, whatever the segments became since', async () => {
    const post = async (name: string, definition: unknown) =>
      (await api.call('POST', '/api/segments', { role: 'marketer', body: { name, definition } })).body.id as string;
    const entryId = await post('广东', inProvinces('广东'));
    const vipId = await post('VIP', tagged('VIP'));
    const id = (
      await api.call('POST', '/api/journeys', { role: 'marketer', body: { draft: journeyOn(entryId, vipId) } })
    ).body.id as string;
    expect((await api.call('POST', `/api/journeys/${id}/publish`, { role: 'marketer', body: {} })).status).toBe(201);

    // After publishing: the entry segment now means 浙江 and the VIP segment is archived.
    await api.call('PATCH', `/api/segments/${entryId}`, {
      role: 'marketer',
      body: { definition: inProvinces('浙江') },
    });
    await api.call('POST', `/api/segments/${vipId}/archive`, { role: 'marketer' });

    const run = await api.call('POST', `/api/journeys/${id}/runs`, { role: 'marketer', body: {} });
    expect(run.status, run.text).toBe(201);
    const exits = await until('the members at their exits', async () => {
      const d = await api.call('GET', `/api/runs/${run.body.id}`, { role: 'viewer' });
      const at = Object.fromEntries(
        (d.body.positions as { position: string; members: number }[]).map((p) => [p.position, p.members]),
      );
      return d.body.memberCount === 3 && (at.vip ?? 0) + (at.rest ?? 0) === 3 && at;
    });
    expect(exits).toEqual({ vip: 1, rest: 2 });
    const members = await api.db.pool.query<{ customer_id: string }>(
      'SELECT customer_id FROM run_members WHERE run_id = $1 ORDER BY customer_id',
      [run.body.id],
    );
    expect(members.rows.map((r) => Number(r.customer_id))).toEqual([1, 2, 3]);
  });
});
