// E-mail exactly once under a worker kill (issue 19 §3, "Done when"): the product's worker process
// (`npm run worker`'s engine/src/worker.ts, configured with HUITOU_SMTP_URL) sends a journey's
// e-mails through nodemailer to a local SMTP receiver, which takes the 10th message and holds its
// answer; the worker is SIGKILLed right then, inside the SMTP conversation, and a new one started.
// Temporal retries the activity there: the nine settled mails are already done, the one in doubt is
// never offered again (the server has it: it is `unknown` in the ledger), the rest go out. In the end
// the SMTP server holds exactly one mail per member, each Message-ID once.
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { journeyEdge as edge, journeyNode as node } from '@huitou/schemas';
import type { JourneyGraphInput } from '@huitou/schemas';
import { audienceRun } from '@huitou/workflows';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import type { Database } from '../../engine/src/db/connect.ts';
import { insertCustomers } from '../integration/db/fixtures.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { startSmtpReceiver } from '../support/smtp-receiver.ts';
import type { SmtpReceiver } from '../support/smtp-receiver.ts';
import { createLaneTestEnv, runsOnLane } from '../support/temporal-lane.ts';
import { startWorkerProcess } from '../support/worker-process.ts';
import { compile, publish, workflowBundle } from './support.ts';

const CUSTOMERS = Array.from({ length: 30 }, (_, i) => i + 1);
const HELD = 10;

const journey: JourneyGraphInput = {
  name: 'one e-mail',
  settings: { holdoutPercent: 0, quietHours: null, sms: { signature: '【测试店】' } },
  nodes: [
    node('entry', 'entry.audience', { segment: { where: { kind: 'all', of: [] }, exclude: [] } }, 0, 0),
    node('mail', 'action.email', { subject: '{nickname}，您好', body: '新品上架，欢迎回来看看。' }, 1, 0),
    node('exit', 'exit', {}, 2, 0),
  ],
  edges: [edge('entry', 'mail'), edge('mail', 'exit')],
};

// As reliability.test.ts: Temporal's test server never moves a task off a dead worker's sticky queue.
describe.runIf(
  runsOnLane({ 'java-test-server': "Temporal's test server never times out a task on a dead worker's sticky queue" }),
)('e-mail: a worker killed inside an SMTP conversation', () => {
  let db: Database;
  let env: TestEnv;
  let smtp: SmtpReceiver;
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await env?.shutdown();
    await smtp?.close();
    await db?.close();
  });

  /** The product's worker process with the SMTP settings, ready once it polls. */
  async function startWorker(bundle: string): Promise<ChildProcess> {
    const child = await startWorkerProcess({
      env,
      db,
      bundle,
      settings: {
        HUITOU_SMTP_URL: smtp.url,
        HUITOU_EMAIL_FROM: '测试店 <shop@example.com>',
        HUITOU_PUBLIC_URL: 'https://huitou.example.com',
      },
    });
    workers.push(child);
    return child;
  }

  it('ends with exactly one mail per member at the SMTP server', async () => {
    db = await openTestDatabase();
    env = await createLaneTestEnv();
    smtp = await startSmtpReceiver({ auth: { user: 'huitou', pass: 'mail-pass' } });
    await insertCustomers(db.pool, CUSTOMERS);
    await db.pool.query(`UPDATE customers SET email = 'buyer' || id || '@example.com'`);
    const { codePath } = await workflowBundle();
    const held = smtp.holdAnswerTo(HELD);
    let worker = await startWorker(codePath);

    const plan = compile(journey);
    const { journeyId, versionId, runId } = await publish(db.pool, plan, 'audience');
    const handle = await env.client.workflow.start(audienceRun, {
      taskQueue: env.taskQueue,
      workflowId: `email-kill-${runId}`,
      args: [{ runId: runId as string, journeyId, versionId, plan }],
    });

    // The 10th message reached the server, which has not answered: the worker dies there.
    const inDoubt = await held;
    worker.kill('SIGKILL');
    await new Promise((resolve) => worker.once('exit', resolve));
    const atKill = await db.pool.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM email_messages WHERE run_id = $1 GROUP BY status ORDER BY status',
      [runId],
    );
    // Killed mid-send: nine settled, one offered, twenty claimed and not yet offered.
    expect(atKill.rows).toEqual([
      { status: 'pending', n: CUSTOMERS.length - HELD },
      { status: 'sending', n: 1 },
      { status: 'sent', n: HELD - 1 },
    ]);
    worker = await startWorker(codePath);
    const result = await handle.result();
    expect(result.counts.exit).toMatchObject({ entered: CUSTOMERS.length, exited: CUSTOMERS.length });

    // At the server: one mail per member, each Message-ID once.
    expect(smtp.mails.map((m) => m.to[0]).sort()).toEqual(CUSTOMERS.map((id) => `buyer${id}@example.com`).sort());
    expect([...smtp.countByMessageId().values()]).toEqual(CUSTOMERS.map(() => 1));

    // In the ledger: the one in doubt is `unknown` (never offered again), the others sent.
    const { rows } = await db.pool.query<{ customer_id: string; status: string; smtp_message_id: string }>(
      'SELECT customer_id, status, smtp_message_id FROM email_messages WHERE run_id = $1 ORDER BY customer_id',
      [runId],
    );
    expect(rows).toHaveLength(CUSTOMERS.length);
    const unknown = rows.filter((r) => r.status === 'unknown');
    expect(unknown.map((r) => r.smtp_message_id)).toEqual([inDoubt.messageId]);
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(CUSTOMERS.length - 1);
    expect(new Set(rows.map((r) => r.smtp_message_id))).toEqual(new Set(smtp.mails.map((m) => m.messageId)));
    worker.kill('SIGINT');
  }, 300_000);
});
