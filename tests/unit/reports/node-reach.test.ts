// Which nodes a member passed, from its recorded position and ledger rows, on the 催付 template.
import { describe, expect, it } from 'vitest';
import { compileJourney, journeyTemplates } from '@huitou/schemas';
import type { ExecutionPlan } from '@huitou/schemas';
import { passedNodes } from '../../../engine/src/reports/node-reach.ts';

function plan(): ExecutionPlan {
  const compiled = compileJourney(journeyTemplates.paymentReminder);
  if (!compiled.ok) throw new Error('the template compiles');
  return compiled.plan;
}

const sorted = (s: Set<string>) => [...s].sort();

describe('passed nodes', () => {
  const p = plan();

  it('every node on all paths to the position', () => {
    expect(sorted(passedNodes(p, ['wait_closed']))).toEqual(
      [
        'entry',
        'split_large',
        'wait_paid_1',
        'good_hours_1',
        'remind_1',
        'wait_paid_2',
        'good_hours_2',
        'remind_2',
        'wait_closed',
      ].sort(),
    );
    expect(sorted(passedNodes(p, [null]))).toEqual(['entry']);
  });

  it('after a merge only what is certain; a ledger row in a branch proves the branch', () => {
    // exit_paid is reached from either payment wait: only the first is certain.
    expect(sorted(passedNodes(p, ['exit_paid']))).toEqual(['entry', 'exit_paid', 'split_large', 'wait_paid_1']);
    expect(sorted(passedNodes(p, ['remind_1', 'exit_paid']))).toEqual(
      ['entry', 'split_large', 'wait_paid_1', 'good_hours_1', 'remind_1', 'wait_paid_2', 'exit_paid'].sort(),
    );
  });

  it('unknown nodes are ignored', () => {
    expect(sorted(passedNodes(p, ['gone', 'call_buyer']))).toEqual(['call_buyer', 'entry', 'split_large']);
  });
});
