// Splits, over the data layer's cohort partitions (activities/src/segments/partition.ts): members of a
// cohort are re-tagged to the target cohorts the workflow named (fresh ids, so a retried call moves
// nothing twice and reports the same counts). A repeat's exit check is a split with ports
// `done` (exitWhen matches) and `body`.
import type { Condition } from '@huitou/schemas';
import { partitionBySegment as bySegment, partitionRandom as byRandom } from '../segments/partition.ts';
import type { PartitionCounts } from '../segments/partition.ts';
import type { PartitionCall, PartitionResult } from '../contract.ts';
import type { FlowDeps } from './types.ts';

interface Branch {
  port: string;
  when: Condition;
}

function branchesOf(params: unknown): { branches: Branch[]; otherwise: string } {
  const p = params as { branches?: Branch[]; otherwisePort?: string; exitWhen?: Condition | null };
  if (p.branches && p.otherwisePort) return { branches: p.branches, otherwise: p.otherwisePort };
  if ('exitWhen' in p) return { branches: p.exitWhen ? [{ port: 'done', when: p.exitWhen }] : [], otherwise: 'body' };
  throw new Error('partitionBySegment: params are neither a segment split nor a repeat');
}

function target(call: PartitionCall, port: string): string {
  const cohort = call.targets[port];
  if (cohort === undefined) throw new Error(`no target cohort for port ${port}`);
  return cohort;
}

const byPort = (call: PartitionCall, counts: PartitionCounts): PartitionResult => ({
  counts: Object.fromEntries(
    Object.entries(call.targets).map(([port, cohort]) => [port, counts[cohort] ?? { treatment: 0, holdout: 0 }]),
  ),
});

export function partitionActivities({ pool }: FlowDeps) {
  return {
    /** First matching branch wins; the rest take the otherwise port. */
    async partitionBySegment(call: PartitionCall): Promise<PartitionResult> {
      const { branches, otherwise } = branchesOf(call.params);
      const innermost = call.cycles.at(-1);
      const counts = await bySegment(pool, call.ref, {
        branches: branches.map((b) => ({ when: b.when, target: target(call, b.port) })),
        otherwiseTarget: target(call, otherwise),
        context: {
          asOf: new Date(call.now),
          timeZone: call.settings.timeZone,
          entryAt: new Date(call.enteredAt),
          ...(innermost ? { cycleStartAt: new Date(innermost.startedAt) } : {}),
          // A triggered cohort's members each have their own (run_members.trigger_order_id).
          ...(call.triggerOrderId !== undefined
            ? { triggerOrderId: call.triggerOrderId }
            : { triggerOrderOfRun: call.ref.runId }),
        },
      });
      return byPort(call, counts);
    },

    async partitionRandom(call: PartitionCall): Promise<PartitionResult> {
      const params = call.params as {
        arms: { port: string; fromBucket: number; toBucket: number }[];
        buckets: number;
        salt: string;
      };
      const counts = await byRandom(pool, call.ref, {
        salt: params.salt,
        buckets: params.buckets,
        arms: params.arms.map((a) => ({
          fromBucket: a.fromBucket,
          toBucket: a.toBucket,
          target: target(call, a.port),
        })),
      });
      return byPort(call, counts);
    },
  };
}
