import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { status } from '@grpc/grpc-js';
import type { TestEnv } from '@huitou/engine/temporal/test-env';
import { startEnv } from './env.js';

let env: TestEnv;
const logged: string[] = [];
beforeAll(async () => {
  env = await startEnv({ log: (m) => logged.push(m) });
});
afterAll(async () => env?.shutdown());

const codeOf = async (p: Promise<unknown>) => {
  try {
    await p;
    return { code: status.OK, message: '' };
  } catch (err) {
    return { code: (err as { code: number }).code, message: (err as Error).message };
  }
};

describe('bad input', () => {
  it('answers UNIMPLEMENTED naming the method, and logs it once', async () => {
    const svc = env.connection.workflowService;
    const a = await codeOf(svc.listSchedules({ namespace: 'default' }));
    await codeOf(svc.listSchedules({ namespace: 'default' }));
    expect(a.code).toBe(status.UNIMPLEMENTED);
    expect(a.message).toContain('ListSchedules');
    expect(logged.filter((l) => l.includes('ListSchedules'))).toHaveLength(1);
  });

  it('answers malformed requests with INVALID_ARGUMENT or NOT_FOUND, as the real server', async () => {
    const svc = env.connection.workflowService;
    expect(
      (
        await codeOf(
          svc.startWorkflowExecution({
            namespace: 'default',
            workflowType: { name: 'greet' },
            taskQueue: { name: 'q' },
          }),
        )
      ).code,
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      (await codeOf(svc.startWorkflowExecution({ namespace: 'default', workflowId: 'x', taskQueue: { name: 'q' } })))
        .code,
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      (
        await codeOf(
          svc.startWorkflowExecution({
            namespace: 'nope',
            workflowId: 'x',
            workflowType: { name: 'greet' },
            taskQueue: { name: 'q' },
          }),
        )
      ).code,
    ).toBe(status.NOT_FOUND);
    expect(
      (await codeOf(svc.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: 'missing' } })))
        .code,
    ).toBe(status.NOT_FOUND);
    expect(
      (
        await codeOf(
          svc.signalWorkflowExecution({
            namespace: 'default',
            workflowExecution: { workflowId: 'missing' },
            signalName: 's',
          }),
        )
      ).code,
    ).toBe(status.NOT_FOUND);
    expect(
      (await codeOf(svc.respondWorkflowTaskCompleted({ namespace: 'default', taskToken: Buffer.from('garbage') })))
        .code,
    ).toBe(status.INVALID_ARGUMENT);
    expect(
      (
        await codeOf(
          svc.respondActivityTaskCompleted({
            namespace: 'default',
            taskToken: Buffer.from(JSON.stringify({ k: 'act', ns: 'default', wid: 'w', rid: 'r', sid: 5, attempt: 1 })),
          }),
        )
      ).code,
    ).toBe(status.NOT_FOUND);
    expect((await codeOf(svc.listWorkflowExecutions({ namespace: 'default', query: `WorkflowType = ` }))).code).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(
      (await codeOf(svc.listWorkflowExecutions({ namespace: 'default', query: `StartTime > 'yesterday'` }))).code,
    ).toBe(status.INVALID_ARGUMENT);
  });

  it('keeps serving after bad input', async () => {
    expect(
      await env.client.workflow.execute('greet', {
        args: ['still here'],
        taskQueue: env.taskQueue,
        workflowId: 'after-bad',
      }),
    ).toBe('hello still here');
  });
});
