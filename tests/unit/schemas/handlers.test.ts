import { describe, expect, it } from 'vitest';
import type { NodeHandlers, NodeTypeId, PlanNode } from '@huitou/schemas';
import { compileJourney, dispatchNode, newBuyer1111, nodeTypeIds } from '@huitou/schemas';

// Action types share one handler in the interpreter; here they fall back to one too, so a new
// action type needs no line in this test.
type ActionTypeId = Extract<NodeTypeId, `action.${string}`>;
const anyAction = Object.fromEntries(
  nodeTypeIds.filter((id) => id.startsWith('action.')).map((id) => [id, (n: PlanNode) => n.type]),
) as Pick<NodeHandlers<[], string>, ActionTypeId>;

describe('typed node handlers', () => {
  it('dispatch each plan node to the handler of its type', () => {
    const result = compileJourney(newBuyer1111);
    if (!result.ok) throw new Error('fixture must compile');
    const describeNode: NodeHandlers<[], string> = {
      ...anyAction,
      'entry.audience': (n) => `audience ${n.params.schedule.kind}`,
      'entry.event': (n) => `event ${n.params.event}`,
      'entry.date': (n) => `date ${n.params.rule.on}`,
      'wait.delay': (n) => `delay ${n.params.durationMs}`,
      'wait.window': (n) => `window ${n.params.timeZone}`,
      'wait.event': (n) => `wait ${n.params.event}`,
      'split.segment': (n) => `split ${n.params.branches.length}`,
      'split.random': (n) => `random ${n.params.arms.length}`,
      'loop.repeat': (n) => `repeat ${n.params.cycles}`,
      'action.sms': (n) => `sms ${n.params.smsClass}`,
      'action.coupon': (n) => `coupon ${n.params.amount}`,
      'action.task': (n) => `task ${n.params.assignee}`,
      'action.tag': (n) => `tag ${n.params.tags.length}`,
      'action.webhook': (n) => `webhook ${n.params.url}`,
      'eval.checkpoint': (n) => `checkpoint ${n.params.offsetMs}`,
      exit: (n) => `exit ${n.params.reason ?? ''}`,
    };
    const plan = result.plan;
    const at = (id: string) => dispatchNode(describeNode, plan.nodes[id] as PlanNode);
    expect(at('entry')).toBe('audience once');
    expect(at('split_category')).toBe('split 4');
    expect(at('monthly')).toBe('repeat 5');
    expect(at('coupon_durables')).toBe('coupon 30');
    expect(at('wait_month')).toBe(`delay ${30 * 86_400_000}`);
  });
});
