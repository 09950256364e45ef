// sendEmail, the action.email node's activity, called as the worker calls it: the local sink when
// no SMTP is configured, deferrals (paused, quiet hours for marketing only), the e-mail marketing
// cap, skip reasons, and over SMTP (tests/support/smtp-receiver.ts) a recipient the server rejects
// for good and a server that cannot be reached (nothing is lost: the claims wait for the retry).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionResult } from '../../../activities/src/contract.ts';
import { localEmailChannel, sendEmail, smtpMailer } from '../../../activities/src/custom/index.ts';
import type { EmailChannel } from '../../../activities/src/custom/index.ts';
import type { Database } from '../../../engine/src/db/connect.ts';
import { startSmtpReceiver } from '../../support/smtp-receiver.ts';
import { insertCustomers, insertRun } from '../db/fixtures.ts';
import { describeEngine, openTestDatabase } from '../db/test-database.ts';
import { never, nodeCall, setJourneyState, settings, shanghai } from './helpers.ts';

type Config = Parameters<typeof nodeCall<'action.email'>>[1];
const promo: Config = { subject: '{nickname}，新品到了', body: '亲爱的{nickname}：欢迎回来看看。' };

describe(`sendEmail (${describeEngine('configured')})`, () => {
  let db: Database;

  beforeAll(async () => {
    db = await openTestDatabase();
    // 1-6 have addresses (6's is not one); 7 has none; every 4th member of a run is held out.
    await insertCustomers(db.pool, [1, 2, 3, 4, 5, 6, 7]);
    await db.pool.query(
      `UPDATE customers SET email = CASE WHEN id = 6 THEN 'not-an-address' WHEN id < 6 THEN 'buyer' || id || '@example.com' END`,
    );
  });
  afterAll(async () => db?.close());

  async function newRun(ids: number[]): Promise<string> {
    return insertRun(
      db.pool,
      ids.map((customerId) => ({ customerId, shard: 0, holdout: customerId === 4 })),
    );
  }

  function send(
    runId: string,
    config: Config,
    over: { nodeId?: string; now?: number; channel?: EmailChannel } = {},
  ): Promise<ActionResult> {
    const call = nodeCall('action.email', config, {
      ref: { runId, shard: 0, cohort: 'root' },
      nodeId: over.nodeId ?? 'mail',
      now: over.now ?? shanghai('2026-11-05T10:00:00'),
      settings: settings(),
    });
    const fn = sendEmail.bind({ pool: db.pool, now: never, email: over.channel ?? localEmailChannel(db.pool) });
    return fn(call) as Promise<ActionResult>;
  }

  it('defers while paused, then mails the treatment arm once through the local sink, with skip reasons', async () => {
    const runId = await newRun([1, 2, 3, 4, 6, 7]);
    await setJourneyState(db.pool, runId, 'paused');
    expect(await send(runId, promo)).toMatchObject({ treatment: 5, holdout: 1, done: 0, skipped: { paused: 5 } });
    expect((await db.pool.query('SELECT 1 FROM email_messages WHERE run_id = $1', [runId])).rows).toEqual([]);
    await setJourneyState(db.pool, runId, 'running');
    expect(await send(runId, promo)).toEqual({
      treatment: 5,
      holdout: 1,
      done: 3,
      alreadyDone: 0,
      skipped: { invalid_email: 1, no_email: 1 },
    });
    expect(await send(runId, promo)).toEqual({
      treatment: 5,
      holdout: 1,
      done: 0,
      alreadyDone: 3,
      skipped: { invalid_email: 1, no_email: 1 },
    });
    const sink = await db.pool.query<{
      recipient: string;
      subject: string;
      body: string;
      headers: Record<string, string>;
    }>(
      `SELECT s.recipient, s.subject, s.body, s.headers FROM email_sink s JOIN email_messages m ON m.smtp_message_id = s.smtp_message_id
       WHERE m.run_id = $1 ORDER BY s.recipient`,
      [runId],
    );
    expect(sink.rows.map((r) => [r.recipient, r.subject])).toEqual([
      ['buyer1@example.com', 'c1，新品到了'],
      ['buyer2@example.com', 'c2，新品到了'],
      ['buyer3@example.com', 'c3，新品到了'],
    ]);
    for (const r of sink.rows) {
      expect(r.body).toMatch(
        /^亲爱的c\d：欢迎回来看看。\n\n--\n退订 \/ Unsubscribe: http:\/\/localhost:3000\/api\/email\/unsubscribe\?t=\S+\n$/,
      );
      expect(r.headers['List-Unsubscribe']).toMatch(/^<http:\/\/localhost:3000\/api\/email\/unsubscribe\?t=\S+>$/);
    }
  });

  it('waits out quiet hours with marketing only; transactional mail goes and carries no unsubscribe link', async () => {
    const runId = await newRun([1, 2]);
    const night = shanghai('2026-11-05T23:00:00');
    expect(await send(runId, promo, { now: night })).toMatchObject({ done: 0, skipped: { quiet_hours: 2 } });
    const shipped: Config = {
      emailClass: 'transactional',
      subject: '您的包裹已发出',
      body: '{nickname}，您的包裹已发出。',
    };
    expect(await send(runId, shipped, { nodeId: 'shipped', now: night })).toMatchObject({ done: 2, skipped: {} });
    const { rows } = await db.pool.query<{ body: string }>(
      `SELECT body FROM email_messages WHERE run_id = $1 AND node_id = 'shipped' ORDER BY customer_id`,
      [runId],
    );
    expect(rows.map((r) => r.body)).toEqual(['c1，您的包裹已发出。', 'c2，您的包裹已发出。']);
  });

  it('keeps the shop marketing cap, counted over e-mails, and skips a template variable without a value', async () => {
    await db.pool.query('UPDATE shop_settings SET marketing_cap = 2, marketing_cap_days = 30');
    try {
      const runId = await newRun([5]);
      expect(await send(runId, promo, { nodeId: 'a' })).toMatchObject({ done: 1 });
      expect(await send(runId, promo, { nodeId: 'b' })).toMatchObject({ done: 1 });
      expect(await send(runId, promo, { nodeId: 'c' })).toMatchObject({ done: 0, skipped: { frequency_cap: 1 } });
      const coupon: Config = { emailClass: 'transactional', subject: '您的券', body: '券码 {coupon.code}' };
      expect(await send(runId, coupon, { nodeId: 'd' })).toMatchObject({ done: 0, skipped: { missing_variable: 1 } });
    } finally {
      await db.pool.query('UPDATE shop_settings SET marketing_cap = 6, marketing_cap_days = 365');
    }
  });

  it('over SMTP: a recipient the server refuses is failed for good; an unreachable server loses nothing', async () => {
    const smtp = await startSmtpReceiver({ reject: ['buyer2@example.com'] });
    const mailer = smtpMailer({ url: smtp.url });
    const channel: EmailChannel = { mailer, from: 'Shop <shop@example.com>', publicUrl: 'https://h.example.com' };
    try {
      const runId = await newRun([1, 2, 3]);
      expect(await send(runId, promo, { channel })).toMatchObject({ done: 2, skipped: { smtp_rejected: 1 } });
      expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(['buyer1@example.com', 'buyer3@example.com']);
      const failed = await db.pool.query<{ customer_id: string; status: string }>(
        `SELECT customer_id, status FROM email_messages WHERE run_id = $1 AND status <> 'sent'`,
        [runId],
      );
      expect(failed.rows).toEqual([{ customer_id: '2', status: 'failed' }]);

      // Nothing listens here: the attempt fails (Temporal retries it) and the claims stay pending.
      const closed = smtpMailer({ url: 'smtp://127.0.0.1:1', timeoutMs: 2_000 });
      const later = await newRun([1, 3]);
      const down: EmailChannel = { ...channel, mailer: closed };
      await expect(send(later, promo, { channel: down })).rejects.toThrow(/not sent/);
      const pending = await db.pool.query<{ status: string }>(
        'SELECT DISTINCT status FROM email_messages WHERE run_id = $1',
        [later],
      );
      expect(pending.rows).toEqual([{ status: 'pending' }]);
      closed.close();
      expect(await send(later, promo, { channel })).toMatchObject({ done: 2, alreadyDone: 0 });
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
