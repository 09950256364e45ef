// E-mail as a second channel (issue 19 §3), end to end on the lane's Temporal server and Postgres,
// through nodemailer to a local SMTP receiver (tests/support/smtp-receiver.ts): action.email is in
// the palette from its definition; a published journey mails each treatment member once with the
// template variables filled and a signed unsubscribe link (body and List-Unsubscribe header); an
// opted-out address, a customer without an address and, after unsubscribing through the link, the
// member who clicked get none; a marketing e-mail reached in quiet hours goes at their end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formFields, journeyEdge as edge, journeyNode as node, nodeTypes, palette } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { createJourneyActivities } from '@huitou/activities';
import { readUnsubscribeToken, recordEmailOptOut, smtpMailer, unsubscribeKey } from '@huitou/activities/custom';
import { audienceRun } from '@huitou/workflows';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import type { SmtpReceiver } from '../support/smtp-receiver.ts';
import { createLaneTestEnv, onTimeSkippingLane } from '../support/temporal-lane.ts';
import { DAY, MINUTE, compile, publish, workflowBundle } from './support.ts';

const PUBLIC_URL = 'https://huitou.example.com';
const FROM = '测试店 <shop@example.com>';

const emailJourney = (quietHours: null | { from: string; to: string }): JourneyGraphInput => ({
  name: 'welcome e-mail',
  settings: { holdoutPercent: 0, quietHours, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node(
      'mail',
      'action.email',
      { subject: '{nickname}，{shop}的新品到了', body: '亲爱的{nickname}：\n新品上架，欢迎回来看看。\n' },
      1,
      0,
    ),
    node('exit', 'exit', {}, 2, 0),
  ],
  edges: [edge('entry', 'mail'), edge('mail', 'exit')],
});

interface LedgerEmail {
  customerId: number;
  status: string;
  skipReason: string | null;
  messageId: string;
  sentAt: number | null;
}

async function emails(db: Database, runId: string): Promise<LedgerEmail[]> {
  const { rows } = await db.pool.query<{
    customer_id: string;
    status: string;
    skip_reason: string | null;
    smtp_message_id: string;
    sent_at: Date | null;
  }>(
    'SELECT customer_id, status, skip_reason, smtp_message_id, sent_at FROM email_messages WHERE run_id = $1 ORDER BY customer_id',
    [runId],
  );
  return rows.map((r) => ({
    customerId: Number(r.customer_id),
    status: r.status,
    skipReason: r.skip_reason,
    messageId: r.smtp_message_id,
    sentAt: r.sent_at?.getTime() ?? null,
  }));
}

describe('action.email', () => {
  it('is in the palette the builder reads, with its labels, icon and form', () => {
    const actions = palette().find((g) => g.category === 'action');
    expect(actions?.types.find((t) => t.type === 'action.email')).toEqual({
      type: 'action.email',
      label: { zh: '邮件', en: 'E-mail' },
      description: nodeTypes['action.email'].description,
      icon: 'mail',
    });
    expect(formFields(nodeTypes['action.email'].config).map((f) => [f.key, f.hint.widget, f.required])).toEqual([
      ['name', 'text', false],
      ['emailClass', 'select', false],
      ['subject', 'text', true],
      ['body', 'template_text', true],
    ]);
  });
});

describe('action.email over SMTP', () => {
  let db: Database;
  let env: TestEnv;
  let smtp: SmtpReceiver;
  let close: () => void;

  beforeAll(async () => {
    db = await openTestDatabase();
    // 1-3 have addresses; 4 opted out of e-mail; 5 has no address.
    await insertCustomers(db.pool, [1, 2, 3, 4, 5]);
    await db.pool.query(`UPDATE customers SET email = 'Buyer' || id || '@Example.com' WHERE id <> 5`);
    await db.pool.query(
      `INSERT INTO opt_outs (recipient, channel, customer_id, source) VALUES ('buyer4@example.com', 'email', 4, 'test')`,
    );
    smtp = await startSmtpReceiver({ auth: { user: 'huitou', pass: 's3cret:@' } });
    const mailer = smtpMailer({ url: smtp.url });
    close = mailer.close;
    env = await createLaneTestEnv({
      worker: {
        workflowBundle: await workflowBundle(),
        activities: createJourneyActivities({ pool: db.pool, email: { mailer, from: FROM, publicUrl: PUBLIC_URL } }),
      },
    });
  });
  afterAll(async () => {
    close?.();
    await env?.shutdown();
    await smtp?.close();
    await db?.close();
  });

  async function run(plan: ReturnType<typeof compile>) {
    const { journeyId, versionId, runId } = await publish(db.pool, plan, 'audience');
    const handle = await env.client.workflow.start(audienceRun, {
      taskQueue: env.taskQueue,
      workflowId: `email-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });
    return { runId: runId as string, result: handle.result() };
  }

  it('mails each member once with the variables filled and a signed unsubscribe link; skips opted-out and address-less members', async () => {
    const { runId, result } = await run(compile(emailJourney(null)));
    expect((await result).counts.exit).toMatchObject({ entered: 5, exited: 5 });

    const ledger = await emails(db, runId);
    expect(ledger.map((e) => [e.customerId, e.status, e.skipReason])).toEqual([
      [1, 'sent', null],
      [2, 'sent', null],
      [3, 'sent', null],
      [4, 'skipped', 'opted_out'],
      [5, 'skipped', 'no_email'],
    ]);
    const mails = smtp.mails.filter((m) => ledger.some((e) => e.messageId === m.messageId));
    expect(mails.map((m) => m.to).sort()).toEqual([
      ['buyer1@example.com'],
      ['buyer2@example.com'],
      ['buyer3@example.com'],
    ]);
    const key = await unsubscribeKey(db.pool);
    for (const m of mails) {
      const id = Number(/^buyer(\d)@/.exec(m.to[0])?.[1]);
      expect(m.headers.from).toContain('shop@example.com');
      expect(m.subject).toBe(`c${id}，测试店的新品到了`);
      expect(m.text).toContain(`亲爱的c${id}：\n新品上架，欢迎回来看看。`);
      // The Message-ID the ledger holds for this member (the same on any retry).
      expect(m.messageId).toBe(ledger.find((e) => e.customerId === id)?.messageId);
      const link = /退订 \/ Unsubscribe: (\S+)/.exec(m.text)?.[1] as string;
      expect(link.startsWith(`${PUBLIC_URL}/api/email/unsubscribe?t=`)).toBe(true);
      expect(m.headers['list-unsubscribe']).toBe(`<${link}>`);
      expect(m.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(readUnsubscribeToken(key, new URL(link).searchParams.get('t') as string)).toEqual({
        customerId: id,
        email: `buyer${id}@example.com`,
      });
    }
    // Reports count the node from action_ledger, like any custom action.
    const actions = await db.pool.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM action_ledger WHERE run_id = $1 AND node_id = 'mail' GROUP BY status ORDER BY status`,
      [runId],
    );
    expect(actions.rows).toEqual([
      { status: 'done', n: 3 },
      { status: 'skipped', n: 2 },
    ]);

    // Member 2 unsubscribes through the link: the next journey mails 1 and 3 only.
    const link2 = /退订 \/ Unsubscribe: (\S+)/.exec(
      mails.find((m) => m.to[0] === 'buyer2@example.com')?.text ?? '',
    )?.[1];
    const named = readUnsubscribeToken(key, new URL(link2 as string).searchParams.get('t') as string);
    expect(named).not.toBeNull();
    await recordEmailOptOut(db.pool, { ...(named as { customerId: number; email: string }), source: 'test' });
    const again = await run(compile(emailJourney(null)));
    await again.result;
    expect((await emails(db, again.runId)).map((e) => [e.customerId, e.status, e.skipReason])).toEqual([
      [1, 'sent', null],
      [2, 'skipped', 'opted_out'],
      [3, 'sent', null],
      [4, 'skipped', 'opted_out'],
      [5, 'skipped', 'no_email'],
    ]);
    // Every mail at the server is a distinct message.
    expect([...smtp.countByMessageId().values()].every((n) => n === 1)).toBe(true);
    expect(smtp.mails).toHaveLength(5);
  });

  it.runIf(onTimeSkippingLane())('sends a marketing e-mail reached at 23:00 Shanghai at 08:00, once', async () => {
    const hour = (h: number) => {
      const d = new Date(env.now());
      const at = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), h);
      return at > env.now() ? at : at + DAY;
    };
    await env.sleep(hour(15) - env.now()); // 23:00 in Shanghai
    const eight = hour(0); // 08:00 in Shanghai
    const before = smtp.mails.length;
    const { runId, result } = await run(compile(emailJourney({ from: '21:00', to: '08:00' })));
    await result;
    const ledger = await emails(db, runId);
    expect(ledger.filter((e) => e.status === 'sent').map((e) => e.customerId)).toEqual([1, 3]);
    for (const e of ledger.filter((x) => x.status === 'sent')) {
      expect(e.sentAt).toBeGreaterThanOrEqual(eight);
      expect(e.sentAt).toBeLessThan(eight + MINUTE);
    }
    expect(smtp.mails.length - before).toBe(2);
  });
});
