// Request logs on real requests: an anonymous client cannot forge a line (CR/LF, control and bidi
// characters in the URL arrive escaped inside one JSON record), and phone numbers in URLs, bodies
// and handler messages are masked without eating the status and latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEngine } from '../db/test-database.ts';
import type { TestApi } from './helpers.ts';
import { startTestApi } from './helpers.ts';

const REQUEST = /^request (\{.*\})$/;

describe(`API request logs (${describeEngine('configured')})`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  /** The log lines the request with this marker in its URL produced (after the response finished). */
  async function linesOf(marker: string, send: () => Promise<unknown>): Promise<string[]> {
    const before = api.logs.length;
    await send();
    // 'finish' fires after the last byte was handed to the socket: give it its turn.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return api.logs.slice(before).filter((l) => l.includes(marker) || !l.startsWith('request '));
  }

  it('writes each request as one JSON line, with encoded CR/LF and control characters escaped', async () => {
    const forged = '/api/journeys/x%0D%0A200%20GET%20%2Fapi%2Fkeys%20admin%0Afake%1B[31m%00%E2%80%AEevil%E2%80%A8end';
    const lines = await linesOf('fake', () => api.call('GET', forged, { role: null }));
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).not.toMatch(/[\p{Cc}\u202e\u2028]/u);
    const record = JSON.parse(REQUEST.exec(line)![1]) as { method: string; url: string; status: number; ms: number };
    expect(record).toMatchObject({ method: 'GET', status: 401 });
    expect(record.ms).toBeGreaterThanOrEqual(0);
    // The URL is kept, readable and whole: the decoded text, as data.
    expect(record.url).toBe('/api/journeys/x\r\n200 GET /api/keys admin\nfake\u001b[31m\u0000\u202eevil\u2028end');
  });

  it('logs a URL that does not decode as sent', async () => {
    const all = await linesOf('badenc', () => api.call('GET', '/api/journeys/badenc%E0%A4%A', { role: null }));
    const lines = all.filter((l) => l.startsWith('request '));
    expect(lines).toHaveLength(1);
    const record = JSON.parse(REQUEST.exec(lines[0])![1]) as { url: string };
    expect(record.url).toBe('/api/journeys/badenc%E0%A4%A');
  });

  it('masks phones in the URL (ASCII, full-width, +86, bare 11 digits) and keeps status and latency', async () => {
    const urls = [
      '/api/runs?journeyId=13812345678&mark=m1',
      '/api/runs?journeyId=%2B8613812345678&mark=m2',
      `/api/runs?journeyId=${encodeURIComponent('１３８１２３４５６７８')}&mark=m3`,
      `/api/runs?journeyId=${encodeURIComponent('+86 138-1234-5678')}&mark=m4`,
    ];
    for (const [i, url] of urls.entries()) {
      const lines = await linesOf(`mark=m${i + 1}`, () => api.call('GET', url));
      const requestLines = lines.filter((l) => l.startsWith('request '));
      expect(requestLines).toHaveLength(1);
      const record = JSON.parse(REQUEST.exec(requestLines[0])![1]) as { url: string; status: number; ms: number };
      expect(record.url).toMatch(/journeyId=(\+86)?\*\*\*\*5678&mark=m\d$/);
      expect(typeof record.status).toBe('number');
      expect(typeof record.ms).toBe('number');
    }
    const all = api.logs.join('\n').replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
    expect(all).not.toMatch(/138\D?1234/);
  });

  it('masks phones a handler logs from a body', async () => {
    const before = api.logs.length;
    for (const phone of ['+8613912345678', '１３９１２３４５６７８']) {
      const res = await api.call('POST', '/api/opt-outs', { body: { phone, text: 'T' }, role: 'engineer' });
      expect(res.status).toBeLessThan(500);
    }
    const lines = api.logs.slice(before).join('\n');
    expect(lines.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))).not.toMatch(
      /139\D?1234/,
    );
  });
});
