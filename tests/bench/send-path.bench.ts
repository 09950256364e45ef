// Send path vs raw bulk insert (issue 5: goal >= 30%). `npm run bench:send -- [--members N]`
// The send path (sendSms over one cohort: guards, ledger rows written before the provider call and
// completed after it, the local sink as provider; no quiet hours, so the wall clock cannot defer
// it) against the floor of the same work: inserting
// the very rows it produced into `messages` and `sms_sink` in batches of the same size, with no
// reads, no guards and no second write. Own database (dropped at the end).
import { parseArgs } from 'node:util';
import { createSideEffectActivities, localSinkProvider } from '@huitou/activities/side-effects';
import { insertRun } from '../integration/db/fixtures.ts';
import { nodeCall, settings, shanghai } from '../integration/activities/helpers.ts';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { seconds } from './bench-shop.ts';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '50000' }, batch: { type: 'string', default: '1000' } },
});
const members = Number(values.members);
const batchSize = Number(values.batch);

const db = await openTestDatabase();
const { pool } = db;
try {
  await pool.query(
    `INSERT INTO customers (id, nickname, phone) SELECT g, '买家' || g, '+86138' || lpad(g::text, 8, '0') FROM generate_series(1, $1::bigint) g`,
    [members],
  );
  const ids = Array.from({ length: members }, (_, i) => i + 1);
  const runId = await insertRun(
    pool,
    ids.map((customerId) => ({ customerId, shard: 0, holdout: false })),
  );
  await pool.query('ANALYZE');
  const effects = createSideEffectActivities({ pool, provider: localSinkProvider(pool), batchSize });
  const call = nodeCall(
    'action.sms',
    { smsClass: 'marketing', template: '{nickname}，感谢您的支持，专属回购券已到账' },
    {
      ref: { runId, shard: 0, cohort: 'root' },
      nodeId: 'thanks',
      now: shanghai('2026-11-12T10:00:00'),
      settings: settings({ quietHours: null }),
    },
  );

  const t0 = performance.now();
  const result = await effects.sendSms(call);
  const sendMs = performance.now() - t0;
  if (result.done !== members)
    throw new Error(`send path sent ${result.done} of ${members}: ${JSON.stringify(result)}`);

  // The same rows, written raw.
  const messages = (await pool.query('SELECT * FROM messages WHERE run_id = $1 ORDER BY id', [runId])).rows as Record<
    string,
    unknown
  >[];
  const sink = (await pool.query('SELECT * FROM sms_sink ORDER BY message_key')).rows as Record<string, unknown>[];
  await pool.query('DELETE FROM sms_sink');
  await pool.query('DELETE FROM messages WHERE run_id = $1', [runId]);
  await pool.query('VACUUM ANALYZE messages').catch(() => undefined);
  await pool.query('VACUUM ANALYZE sms_sink').catch(() => undefined);
  const messageColumns = Object.keys(messages[0]).filter((c) => c !== 'id');
  const sinkColumns = Object.keys(sink[0]);
  const t1 = performance.now();
  for (let i = 0; i < members; i += batchSize) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO messages (${messageColumns.join(', ')}) SELECT ${messageColumns.join(', ')} FROM json_populate_recordset(NULL::messages, $1::json)`,
        [JSON.stringify(messages.slice(i, i + batchSize))],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    await pool.query(
      `INSERT INTO sms_sink (${sinkColumns.join(', ')}) SELECT ${sinkColumns.join(', ')} FROM json_populate_recordset(NULL::sms_sink, $1::json)`,
      [JSON.stringify(sink.slice(i, i + batchSize))],
    );
  }
  const rawMs = performance.now() - t1;
  const rate = (ms: number) => Math.round(members / (ms / 1000));
  console.log(
    `[${db.kind}] ${members} marketing SMS, batches of ${batchSize} (load ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
  );
  console.log(
    `send path (guards + ledger before/after + local sink): ${seconds(sendMs)} s, ${rate(sendMs)} messages/s`,
  );
  console.log(`raw bulk insert of the same rows (messages + sms_sink): ${seconds(rawMs)} s, ${rate(rawMs)} messages/s`);
  console.log(`send path at ${((rawMs / sendMs) * 100).toFixed(0)}% of the raw insert's throughput (goal >= 30%)`);
} finally {
  await db.close();
}
