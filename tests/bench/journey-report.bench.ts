// The report of a triggered journey at 11.11 volume. `npm run bench:journey-report -- [--per-day N] [--days D]`
// Seeds a published 催付 journey with N members a day for D days up to 2026-11-15 (one run each, as triggers make
// them today), their orders (40% paid within two hours), reminders in the SMS ledger with receipts
// and large-order tasks, then times GET /api/journeys/:id/report's query for one day and for the
// week (--without-index: without migration 087's index). A fresh database of its own, dropped at the end.
import { parseArgs } from 'node:util';
import { compileJourney, journeyTemplates } from '@huitou/schemas';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { journeyReport } from '../../engine/src/reports/journey-report.ts';
import { periodBounds } from '../../engine/src/reports/period.ts';

const { values } = parseArgs({
  options: {
    'per-day': { type: 'string' },
    days: { type: 'string' },
    'without-index': { type: 'boolean' },
    explain: { type: 'boolean' },
  },
});
const perDay = Number(values['per-day'] ?? 50_000);
const days = Number(values.days ?? 7);
const total = perDay * days;
const TZ = 'Asia/Shanghai';
// The history ends on Sunday 2026-11-15: the week measured is its last, the day 11.11.
const firstDay = new Date(Date.UTC(2026, 10, 15 - (days - 1))).toISOString().slice(0, 10);
if (days < 7) throw new Error('--days: at least 7 (the week measured)');

const compiled = compileJourney(journeyTemplates.paymentReminder);
if (!compiled.ok) throw new Error('the 催付 template compiles');
const plan = compiled.plan;
const seconds = (ms: number) => (ms / 1000).toFixed(2);

const db = await openTestDatabase();
try {
  const t0 = performance.now();
  const { pool } = db;
  const journey = await pool.query<{ id: string }>(
    `INSERT INTO journeys (name, kind, state) VALUES ('催付', 'triggered', 'published') RETURNING id`,
  );
  const journeyId = journey.rows[0].id;
  const version = await pool.query<{ id: string }>(
    `INSERT INTO journey_versions (journey_id, version, graph, plan, plan_hash) VALUES ($1, 1, '{}', $2::jsonb, $3) RETURNING id`,
    [journeyId, JSON.stringify(plan), plan.hash],
  );
  const versionId = version.rows[0].id;
  // Member i enters on day i % days at a second spread over the day; its order is i.
  await pool.query(
    `INSERT INTO customers (id, nickname, phone) SELECT i, 'c' || i, '+86190' || lpad(i::text, 8, '0') FROM generate_series(1, $1) i`,
    [total],
  );
  await pool.query(
    `INSERT INTO orders (id, customer_id, status, amount, created_at, paid_at)
     SELECT i, i, CASE WHEN i % 5 < 2 THEN 'paid' ELSE 'created' END, 20 + i % 300,
            t, CASE WHEN i % 5 < 2 THEN t + make_interval(mins => 10 + i % 100) END
     FROM generate_series(1, $1) i,
          LATERAL (SELECT ($2::date + (i % $3))::timestamp AT TIME ZONE 'Asia/Shanghai' + make_interval(secs => (i::bigint * 7919) % 86400) AS t) x`,
    [total, firstDay, days],
  );
  await pool.query(
    `INSERT INTO runs (id, journey_id, version_id, kind, state, trigger_key, entered_at, holdout_ratio, member_count, shard_count, created_at)
     SELECT md5('run' || i)::uuid, $1, $2, 'triggered', 'completed', 'order:' || i, o.created_at, 0.1, 1, 1, o.created_at
     FROM generate_series(1, $3) i JOIN orders o ON o.id = i ORDER BY o.created_at`,
    [journeyId, versionId, total],
  );
  await pool.query(
    `INSERT INTO run_members (run_id, customer_id, holdout, shard, position, entered_at, exited_at, exit_reason)
     SELECT md5('run' || i)::uuid, i, i % 10 = 0, 0,
            CASE WHEN i % 50 = 0 THEN 'exit_handed_over' WHEN i % 5 < 2 THEN 'exit_paid' WHEN i % 5 = 2 THEN 'exit_closed' ELSE 'exit_timeout' END,
            o.created_at, o.created_at + interval '1 hour', 'completed'
     FROM generate_series(1, $1) i JOIN orders o ON o.id = i ORDER BY o.created_at`,
    [total],
  );
  // Rows are written in entry order, as triggers write them.
  // Treatment members who did not pay at once got the first reminder (delivered, one segment).
  await pool.query(
    `INSERT INTO messages (message_key, run_id, node_id, customer_id, class, status, segments, billed_segments, unit_price, cost, trigger_key, created_at)
     SELECT md5('run' || i) || '/remind_1', md5('run' || i)::uuid, 'remind_1', i, 'notification', 'delivered', 1, 1, 0.045, 0.045, 'order:' || i, now()
     FROM generate_series(1, $1) i WHERE i % 10 <> 0 AND i % 5 >= 2 AND i % 50 <> 0`,
    [total],
  );
  await pool.query(
    `INSERT INTO action_ledger (action_key, kind, run_id, node_id, customer_id, status)
     SELECT md5('run' || i) || '/call_buyer', 'task', md5('run' || i)::uuid, 'call_buyer', i, 'done'
     FROM generate_series(1, $1) i WHERE i % 50 = 0 AND i % 10 <> 0`,
    [total],
  );
  // --without-index: as before migration 087, for the comparison.
  if (values['without-index']) await pool.query('DROP INDEX run_members_entered_brin');
  // Autosummarize keeps up with a live table; a bulk load outruns it.
  else if (db.kind === 'postgres') await pool.query(`SELECT brin_summarize_new_values('run_members_entered_brin')`);
  await pool.query('ANALYZE');
  console.log(
    `[${db.kind}] seeded ${total} members (${perDay}/day for ${days} days) in ${seconds(performance.now() - t0)} s`,
  );

  const goal = plan.settings.goal;
  for (const [label, query] of [
    ['one day', { period: 'day' as const, from: '2026-11-11' }],
    ['the week', { period: 'week' as const, from: '2026-11-11' }],
  ] as const) {
    const bounds = periodBounds(query, TZ, new Date());
    if ('field' in bounds) throw new Error(bounds.message);
    let best = Infinity;
    let entered = 0;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      const report = await journeyReport(
        pool,
        { id: journeyId, name: '催付' },
        { period: query.period, bounds, timeZone: TZ, goal },
      );
      best = Math.min(best, performance.now() - t);
      entered = report.entered;
    }
    if (values.explain) {
      const plan = await pool.query(
        `EXPLAIN (ANALYZE, COSTS OFF) SELECT count(*) FROM runs r JOIN run_members rm ON rm.run_id = r.id
         WHERE r.journey_id = $1 AND rm.entered_at >= $2 AND rm.entered_at < $3`,
        [journeyId, bounds.from, bounds.to],
      );
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    console.log(`report of ${label.padEnd(8)} ${String(entered).padStart(8)} members  ${seconds(best).padStart(6)} s`);
  }
} finally {
  await db.close();
}
