import { createHash } from 'node:crypto';
import type { CycleState, NodeCall } from '../contract.ts';

/** Loop counters as `loop:cycle,...` (outermost first); '' outside loops. */
export function cyclePath(cycles: readonly CycleState[]): string {
  return cycles.map((c) => `${c.loop}:${c.cycle}`).join(',');
}

/** The innermost cycle number (the ledger's `cycle` column); 0 outside loops. */
export function innermostCycle(cycles: readonly CycleState[]): number {
  return cycles.length === 0 ? 0 : cycles[cycles.length - 1].cycle;
}

/**
 * The key prefix shared by every member of one node call: (run, shard or trigger key, node, cycle
 * path). Appending the customer id gives the ledger key; a retry computes the same keys.
 */
export function keyPrefix(call: Pick<NodeCall, 'ref' | 'nodeId' | 'cycles' | 'triggerKey'>): string {
  const scope = call.triggerKey !== undefined ? `t:${call.triggerKey}` : `s:${call.ref.shard}`;
  return `${call.ref.runId}/${scope}/${call.nodeId}/${cyclePath(call.cycles)}/`;
}

export function memberKey(prefix: string, customerId: number): string {
  return `${prefix}${customerId}`;
}

/** A short stable digest, for idempotency keys and deterministic codes. */
export function digest(text: string, length = 32): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
