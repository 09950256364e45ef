// The 11.11 journey at scale (issue 5). `npm run bench:journey -- [--members N] [--per-member M]`
// Runs the flagship template over N generated new buyers, all five monthly cycles, on the
// time-skipping embedded server with the real worker and activities (SMS to the local sink), and
// prints wall time, messages/s and this process's peak RSS (server + worker + client; Postgres is
// its own process). Then the same journey with one workflow per member (the common design: shard
// size 1, same interpreter, same activities) over M members, and the speed ratio in members/s
// (goal: ours >= 20x). Each part gets its own database, dropped at the end.
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { journeyTemplates } from '@huitou/schemas';
import { createJourneyActivities } from '@huitou/activities';
import { audienceRun } from '@huitou/workflows';
import { createTestEnv } from '@huitou/engine/temporal/test-env';
import { cachedInterpreterBundle } from '@huitou/engine/temporal/workflow-bundle';
import { openTestDatabase } from '../integration/db/test-database.ts';
import { compile, publish, untilShanghaiMorning } from '../workflows/support.ts';
import { rssSampler, seconds, seedNewBuyers1111 } from './bench-shop.ts';

const { values } = parseArgs({
  options: { members: { type: 'string', default: '100000' }, 'per-member': { type: 'string', default: '500' } },
});
const DAY = 86_400_000;

interface Figures {
  members: number;
  wallMs: number;
  sent: number;
  peakRssMb: number;
  workflows: number;
}

async function runJourney(members: number, shardSize: number | undefined): Promise<Figures> {
  const db = await openTestDatabase('configured', { poolSize: 20 });
  const rss = rssSampler();
  try {
    const t = performance.now();
    await seedNewBuyers1111(db.pool, members);
    console.log(`  seeded ${members} new buyers in ${seconds(performance.now() - t)} s`);
    const env = await createTestEnv({
      worker: {
        workflowBundle: await cachedInterpreterBundle(),
        activities: createJourneyActivities({ pool: db.pool }),
        maxConcurrentActivityTaskExecutions: 20,
      },
    });
    try {
      const plan = compile(journeyTemplates.newBuyer1111);
      const { journeyId, versionId, runId } = await publish(db.pool, plan, 'audience');
      const t0 = await untilShanghaiMorning(env); // 10:00 in Shanghai, outside quiet hours
      const started = performance.now();
      const progress = setInterval(async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM messages WHERE run_id = $1',
          [runId],
        );
        console.log(
          `  ${seconds(performance.now() - started)} s: ${rows[0].n} ledger rows, day ${Math.floor((env.now() - t0) / DAY)}, rss ${Math.round(rss.peakMb())} MB`,
        );
      }, 10_000);
      let result;
      try {
        result = await env.client.workflow.execute(audienceRun, {
          taskQueue: env.taskQueue,
          workflowId: `bench-${runId}`,
          args: [{ runId: runId as string, journeyId, versionId, plan, ...(shardSize ? { shardSize } : {}) }],
        });
      } finally {
        clearInterval(progress);
      }
      const wallMs = performance.now() - started;
      if (result.members !== members) throw new Error(`expected ${members} entrants, got ${result.members}`);
      const { rows } = await db.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE run_id = $1 AND status = 'sent'",
        [runId],
      );
      return { members, wallMs, sent: rows[0].n, peakRssMb: rss.peakMb(), workflows: 1 + result.shards };
    } finally {
      await env.shutdown();
    }
  } finally {
    rss.stop();
    await db.close();
  }
}

function report(label: string, f: Figures): void {
  console.log(
    `${label}: ${f.members} members in ${seconds(f.wallMs)} s (${Math.round(f.members / (f.wallMs / 1000))} members/s), ` +
      `${f.sent} SMS sent (${Math.round(f.sent / (f.wallMs / 1000))} messages/s), ${f.workflows} workflows, peak RSS ${Math.round(f.peakRssMb)} MB`,
  );
}

const members = Number(values.members);
const perMember = Number(values['per-member']);
console.log(`11.11 journey, five cycles, time-skipped (load ${loadavg()[0].toFixed(1)})`);
console.log(`sharded (5,000 members per shard workflow), ${members} members:`);
const ours = await runJourney(members, undefined);
report('  sharded', ours);
if (perMember > 0) {
  console.log(`one workflow per member, ${perMember} members:`);
  const each = await runJourney(perMember, 1);
  report('  per member', each);
  const ratio = ours.members / ours.wallMs / (each.members / each.wallMs);
  console.log(`sharded is ${ratio.toFixed(0)}x faster per member (goal >= 20x)`);
}
