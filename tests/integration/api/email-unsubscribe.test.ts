// The unsubscribe link of marketing e-mails: public (no API key), a signed token; GET asks, POST
// (the page's button or a mail client's one-click) records an e-mail opt-out once, audited; a token
// that was not signed here, or altered, is a 400 naming query.t; the token never reaches the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unsubscribeKey, unsubscribeToken } from '@huitou/activities/custom';
import { insertCustomers } from '../db/fixtures.ts';
import { auditActions, startTestApi } from './helpers.ts';
import type { TestApi } from './helpers.ts';

describe('GET/POST /api/email/unsubscribe', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await startTestApi();
    await insertCustomers(api.db.pool, [7]);
    await api.db.pool.query(`UPDATE customers SET email = 'Buyer7@Example.com' WHERE id = 7`);
    token = unsubscribeToken(await unsubscribeKey(api.db.pool), 7, 'Buyer7@Example.com');
  });
  afterAll(async () => api?.close());

  const optOuts = async () =>
    (
      await api.db.pool.query<{ recipient: string; channel: string; customer_id: string; source: string }>(
        'SELECT recipient, channel, customer_id, source FROM opt_outs ORDER BY recipient',
      )
    ).rows;

  it('asks first: GET shows the confirmation and records nothing', async () => {
    const res = await api.call('GET', `/api/email/unsubscribe?t=${token}`, { role: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain(`<form method="post" action="/api/email/unsubscribe?t=${token}">`);
    expect(await optOuts()).toEqual([]);
  });

  it('rejects a token not signed here, or altered, naming query.t', async () => {
    const forged = unsubscribeToken('another-key', 7, 'buyer7@example.com');
    const altered = token.replace(/^7\./, '8.');
    for (const t of [forged, altered, 'junk', '']) {
      const res = await api.call('POST', `/api/email/unsubscribe?t=${encodeURIComponent(t)}`, { role: null });
      expect(res.status, t).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_token', path: ['query', 't'] });
    }
    expect((await api.call('GET', '/api/email/unsubscribe', { role: null })).status).toBe(400);
    expect(await optOuts()).toEqual([]);
  });

  it('records the opt-out once (one-click as mail clients send it), audited, the token kept out of the log', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await api.call('POST', `/api/email/unsubscribe?t=${token}`, {
        role: null,
        raw: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Unsubscribed');
    }
    expect(await optOuts()).toEqual([
      { recipient: 'buyer7@example.com', channel: 'email', customer_id: '7', source: 'unsubscribe_link' },
    ]);
    expect(await auditActions(api, '7')).toEqual(['email.opt_out']);
    // Staff see it on the opt-out list as an e-mail opt-out, the address masked for roles without phones.
    const listed = async (role: 'marketer' | 'admin') =>
      (await api.call('GET', '/api/opt-outs', { role })).body.optOuts as {
        channel: string;
        phone: unknown;
        email: unknown;
      }[];
    expect(await listed('marketer')).toEqual([
      expect.objectContaining({ channel: 'email', phone: null, email: 'b***@example.com' }),
    ]);
    expect(await listed('admin')).toEqual([expect.objectContaining({ channel: 'email', email: 'buyer7@example.com' })]);
    expect(api.logs.some((l) => l.includes(token))).toBe(false);
    expect(api.logs.some((l) => l.includes('/api/email/unsubscribe?t=***'))).toBe(true);
  });
});
