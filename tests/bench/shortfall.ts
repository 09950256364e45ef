// What the events bench keeps when its count check fails: the bench's database is dropped at the
// end, so the evidence is written out first. Entries claimed for a cohort but never admitted, each
// cohort workflow they went to with its status and full history, and the runs of those cohorts.
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@temporalio/client';
import type pg from 'pg';

export async function keepShortfallEvidence(pool: pg.Pool, client: Client): Promise<string> {
  const dir = join(tmpdir(), `huitou-bench-shortfall-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const { rows: unadmitted } = await pool.query<{ workflow_id: string }>(
    `SELECT trigger_key, workflow_id, run_id, customer_id, admitted, claimed_at, admitted_at
     FROM trigger_entries WHERE admitted IS NOT TRUE ORDER BY claimed_at, trigger_key`,
  );
  await writeFile(join(dir, 'unadmitted-entries.json'), JSON.stringify(unadmitted, null, 1));
  const workflowIds = [...new Set(unadmitted.map((r) => r.workflow_id))];
  const { rows: runs } = await pool.query(
    `SELECT r.id, r.workflow_id, r.state, r.trigger_key, r.created_at, count(m.customer_id)::int AS members
     FROM runs r LEFT JOIN run_members m ON m.run_id = r.id
     WHERE r.workflow_id = ANY($1::text[]) GROUP BY r.id ORDER BY r.workflow_id`,
    [workflowIds],
  );
  await writeFile(join(dir, 'runs.json'), JSON.stringify(runs, null, 1));
  for (const id of workflowIds.slice(0, 20)) {
    const handle = client.workflow.getHandle(id);
    const description = await handle.describe().catch((e: unknown) => ({ error: String(e) }));
    const history = await handle.fetchHistory().catch((e: unknown) => ({ error: String(e) }));
    await writeFile(
      join(dir, `${id.replace(/[^\w.-]/g, '_')}.json`),
      JSON.stringify({ description, history }, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 1),
    );
  }
  return dir;
}
