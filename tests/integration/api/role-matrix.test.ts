// Every operation, every role: 403 exactly when the role table says no. Requests carry placeholder
// ids and empty bodies, so an allowed call may still fail validation (4xx), but never with 401/403.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roles } from '@huitou/schemas/http';
import { allows, permissions } from '@huitou/schemas/http';
import { apiRoutes } from '../../../engine/src/api/routes/index.ts';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

// Mutations on placeholders hit 404/400 before touching anything; the journey list is harmless.
const cases = apiRoutes().flatMap((r) =>
  roles.map((role) => ({ route: r, role, allowed: allows(role, r.permission) })),
);

describe(`role matrix (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it('matches the roles of the issue', () => {
    expect(permissions['journeys.publish']).toEqual(['admin', 'marketer']);
    expect(permissions['runs.control']).toEqual(['admin', 'ops']);
    expect(permissions['keys.manage']).toEqual(['admin']);
    expect(permissions['data.import']).toEqual(['admin', 'engineer']);
    expect(permissions['activities.manage']).toContain('engineer');
    expect(permissions['webhooks.manage']).toContain('engineer');
    expect(permissions.read).toEqual(expect.arrayContaining(['viewer', 'ops', 'marketer']));
  });

  it.each(cases.map((c) => [`${c.route.method.toUpperCase()} ${c.route.path} as ${c.role}`, c] as const))(
    '%s',
    async (_name, c) => {
      const path = c.route.path.replace(/:(\w+)/g, (_m, name: string) =>
        name === 'version' ? '1' : name === 'templateId' ? 'no-such-template' : PLACEHOLDER,
      );
      const res = await api.call(c.route.method.toUpperCase(), path, {
        role: c.role,
        body: c.route.body ? {} : undefined,
      });
      if (c.allowed) {
        expect([401, 403]).not.toContain(res.status);
        expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.error).toMatchObject({ status: 403, code: 'forbidden' });
      }
    },
  );

  it('a forbidden request writes nothing', async () => {
    const res = await api.call('POST', '/api/journeys', { role: 'viewer', body: { name: 'not allowed' } });
    expect(res.status).toBe(403);
    expect((await api.db.pool.query('SELECT count(*)::int AS n FROM journeys')).rows[0].n).toBe(0);
  });
});
