// A new journey starts from the shop's settings page: signature, quiet hours, time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

describe(`new journeys take the shop's defaults (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  it("new journeys, blank or from a template, start from the shop's signature, quiet hours and time zone", async () => {
    const put = await api.call('PUT', '/api/settings', {
      body: { smsSignature: '【小美母婴】', quietHours: { from: '22:00', to: '07:30' }, timeZone: 'Asia/Urumqi' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const blank = await api.call('POST', '/api/journeys', { role: 'marketer', body: { name: '空白旅程' } });
    const fromTemplate = await api.call('POST', '/api/templates/paymentReminder/journeys', {
      role: 'marketer',
      body: {},
    });
    for (const created of [blank, fromTemplate]) {
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.draft.settings).toMatchObject({
        sms: { signature: '【小美母婴】' },
        quietHours: { from: '22:00', to: '07:30' },
        timeZone: 'Asia/Urumqi',
      });
    }
    // A draft sent with the journey keeps its own settings.
    const own = await api.call('POST', '/api/journeys', {
      role: 'marketer',
      body: {
        name: '自带设置',
        draft: { schemaVersion: 1, name: '自带设置', nodes: [], edges: [], settings: { quietHours: null } },
      },
    });
    expect(own.body.draft.settings).toEqual({ quietHours: null });
    await api.call('PUT', '/api/settings', {
      body: { smsSignature: null, quietHours: { from: '21:00', to: '08:00' }, timeZone: 'Asia/Shanghai' },
    });
  });
});
