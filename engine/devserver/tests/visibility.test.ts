import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv } from './env.js';

let env: TestEnv;
beforeAll(async () => {
  env = await startEnv();
  const tq = env.taskQueue;
  await env.client.workflow.execute('greet', { args: ['a'], taskQueue: tq, workflowId: 'journey-7:order-1' });
  await env.client.workflow.execute('greet', { args: ['b'], taskQueue: tq, workflowId: 'journey-7:order-2' });
  await env.client.workflow.start('waitForApproval', { taskQueue: tq, workflowId: 'journey-8:order-3' });
  await env.client.workflow.start('tagged', { args: ['j-42'], taskQueue: tq, workflowId: 'shard-1' });
  await env.client.workflow.start('tagged', { args: ['j-43'], taskQueue: tq, workflowId: 'shard-2' });
  // Let the tagged workflows run their first task (the upsert).
  for (let i = 0; i < 50; i++) {
    const { count } = await env.client.workflow.count(`JourneyId = 'j-42'`);
    if (count === 1) break;
    await new Promise((r) => setTimeout(r, 50));
  }
});
afterAll(async () => env?.shutdown());

const ids = async (query: string) => {
  const out: string[] = [];
  for await (const wf of env.client.workflow.list({ query })) out.push(wf.workflowId);
  return out.sort();
};

describe('list and count executions', () => {
  it('filters by workflow type, status, id prefix and search attribute', async () => {
    expect(await ids(`WorkflowType = 'greet'`)).toEqual(['journey-7:order-1', 'journey-7:order-2']);
    expect(await ids(`ExecutionStatus = 'Running' AND WorkflowType = 'waitForApproval'`)).toEqual([
      'journey-8:order-3',
    ]);
    expect(await ids(`WorkflowId STARTS_WITH 'journey-7:'`)).toEqual(['journey-7:order-1', 'journey-7:order-2']);
    expect(await ids(`JourneyId = 'j-42'`)).toEqual(['shard-1']);
    expect(await ids(`JourneyId IN ('j-42', 'j-43') AND ExecutionStatus = 'Running' ORDER BY StartTime DESC`)).toEqual([
      'shard-1',
      'shard-2',
    ]);
    expect(await ids(`(WorkflowType = 'greet' OR WorkflowId = 'shard-2') AND ExecutionStatus != 'Failed'`)).toEqual([
      'journey-7:order-1',
      'journey-7:order-2',
      'shard-2',
    ]);
    expect((await env.client.workflow.count(`ExecutionStatus = 'Completed'`)).count).toBe(2);
    expect((await env.client.workflow.count()).count).toBe(5);
  });

  it('pages through list results and history', async () => {
    const svc = env.connection.workflowService;
    const first = await svc.listWorkflowExecutions({ namespace: 'default', pageSize: 2, query: '' });
    expect(first.executions).toHaveLength(2);
    const second = await svc.listWorkflowExecutions({
      namespace: 'default',
      pageSize: 2,
      query: '',
      nextPageToken: first.nextPageToken,
    });
    const third = await svc.listWorkflowExecutions({
      namespace: 'default',
      pageSize: 2,
      query: '',
      nextPageToken: second.nextPageToken,
    });
    expect(
      [...first.executions, ...second.executions, ...third.executions].map((e) => e.execution!.workflowId).sort(),
    ).toHaveLength(5);
    expect(third.nextPageToken?.length ?? 0).toBe(0);

    const full = await env.client.workflow.getHandle('journey-7:order-1').fetchHistory();
    const pages: number[] = [];
    let token: Uint8Array | undefined;
    const events: unknown[] = [];
    do {
      const page = await svc.getWorkflowExecutionHistory({
        namespace: 'default',
        execution: { workflowId: 'journey-7:order-1' },
        maximumPageSize: 3,
        nextPageToken: token,
      });
      pages.push(page.history!.events!.length);
      events.push(...page.history!.events!.map((e) => Number(e.eventId)));
      token = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (token);
    expect(events).toEqual(full.events!.map((e) => Number(e.eventId)));
    expect(Math.max(...pages)).toBe(3);
    expect(pages.length).toBe(Math.ceil(full.events!.length / 3));
  });
});
