import type { NodeParams, NodeTypeId } from '../registry.ts';
import { nodeTypeOf } from '../registry.ts';
import type { Topology } from './topology.ts';
import { edgeKey } from './topology.ts';

export interface LoweredNode {
  readonly type: NodeTypeId;
  readonly params: unknown;
}

/**
 * The longest a member's journey can take from entry until its last scheduled effect (the last
 * exit, or the last evaluation checkpoint firing), in ms. Sends, partitions and coupons count as
 * instant; waits count at their maximum; a repeat runs all its cycles, each cycle starting
 * `interval` after the previous one or when the body returns, whichever is later.
 */
export function maxJourneyDurationMs(topo: Topology, lowered: ReadonlyMap<string, LoweredNode>): number {
  return walkRegion(topo, lowered, topo.entryId, null).end;
}

interface RegionTimes {
  /** Latest moment anything in the region happens (relative to the region start). */
  end: number;
  /** Latest moment members return to the region's repeat node (loop bodies only). */
  returnAt: number;
}

function walkRegion(
  topo: Topology,
  lowered: ReadonlyMap<string, LoweredNode>,
  start: string,
  owner: string | null,
): RegionTimes {
  const depth = owner === null ? 0 : (topo.loopsOf.get(owner) ?? []).length + 1;
  const arrival = new Map<string, number>([[start, 0]]);
  const leave = new Map<string, number>();
  let end = 0;
  let returnAt = -Infinity;
  for (const id of topo.order) {
    const at = arrival.get(id);
    if (at === undefined || (topo.loopsOf.get(id) ?? []).length !== depth) continue;
    const node = lowered.get(id) as LoweredNode;
    let leaveAt = at;
    if (node.type === 'loop.repeat') {
      const params = node.params as NodeParams<'loop.repeat'>;
      const bodyStart = topo.next.get(id)?.get('body');
      const body =
        bodyStart === undefined || bodyStart === id
          ? { end: 0, returnAt: 0 }
          : walkRegion(topo, lowered, bodyStart, id);
      const bodyLength = Number.isFinite(body.returnAt) ? body.returnAt : body.end;
      const lastCycleStart = at + (params.cycles - 1) * Math.max(params.intervalMs, bodyLength);
      end = Math.max(end, lastCycleStart + body.end);
      leaveAt = lastCycleStart + bodyLength;
    } else if (node.type === 'eval.checkpoint') {
      const params = node.params as NodeParams<'eval.checkpoint'>;
      const anchorAt = Math.max(...params.anchors.map((a) => leave.get(a) ?? at));
      end = Math.max(end, anchorAt + params.offsetMs);
    } else {
      leaveAt = at + (nodeTypeOf(node.type).maxStayMs?.(node.params) ?? 0);
    }
    leave.set(id, leaveAt);
    end = Math.max(end, leaveAt);
    for (const [port, target] of topo.next.get(id) ?? new Map<string, string>()) {
      if (topo.backEdges.has(edgeKey(id, port))) {
        if (target === owner) returnAt = Math.max(returnAt, leaveAt);
        continue;
      }
      arrival.set(target, Math.max(arrival.get(target) ?? -Infinity, leaveAt));
    }
  }
  return { end, returnAt };
}
