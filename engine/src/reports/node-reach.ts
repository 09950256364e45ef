// Which nodes a member certainly passed, from what Postgres keeps of its path: the node it was last
// recorded at (waits and exits mirror it) and the nodes where the ledgers hold a row for it (SMS,
// coupons, tasks, tags, webhooks). Between two such points, every node on all paths of the plan's
// loop-free graph was passed. Pure; one answer per (plan, recorded points), cached by the caller.
import type { ExecutionPlan } from '@huitou/schemas';

type Graph = Pick<ExecutionPlan, 'entry' | 'nodes' | 'order'>;

function successors(plan: Graph, id: string): string[] {
  const node = plan.nodes[id];
  if (!node) return [];
  return Object.values(node.next as Record<string, { node: string; loopBack: boolean }>)
    .filter((n) => !n.loopBack)
    .map((n) => n.node);
}

/** Nodes reachable from `from` (itself included) without passing `avoid`. */
function reachable(plan: Graph, from: string, avoid?: string): Set<string> {
  const seen = new Set<string>();
  const frontier = [from];
  while (frontier.length > 0) {
    const id = frontier.pop() as string;
    if (id === avoid || seen.has(id)) continue;
    seen.add(id);
    frontier.push(...successors(plan, id));
  }
  return seen;
}

/** Nodes on every path from a to b (a and b included); just the two when no path joins them. */
function onEveryPath(plan: Graph, a: string, b: string): string[] {
  const fromA = reachable(plan, a);
  if (!fromA.has(b)) return [a, b];
  const out = [a, b];
  for (const n of fromA) {
    if (n === a || n === b || !reachable(plan, n).has(b)) continue;
    if (!reachable(plan, a, n).has(b)) out.push(n);
  }
  return out;
}

/**
 * The nodes a member passed: the entry, its recorded points and every node between consecutive
 * points (in the plan's topological order) that no path around it avoids.
 */
export function passedNodes(plan: Graph, points: readonly (string | null)[]): Set<string> {
  const rank = new Map(plan.order.map((id, i) => [id, i]));
  const known = [...new Set([plan.entry, ...points.filter((p): p is string => p !== null && rank.has(p))])].sort(
    (x, y) => (rank.get(x) as number) - (rank.get(y) as number),
  );
  const passed = new Set<string>(known);
  for (let i = 1; i < known.length; i++) for (const n of onEveryPath(plan, known[i - 1], known[i])) passed.add(n);
  return passed;
}
