import type { RunDetail } from '../api.ts';
import type { NodeMemberCount } from '../canvas/contexts.ts';

/**
 * Counts per node: live from the workflow while it runs. Once it has ended only Postgres is left,
 * which knows where each member stopped: members there (entered), still active (waiting), exited.
 */
export function nodeCountsOf(run: RunDetail): Map<string, NodeMemberCount> {
  if (run.live)
    return new Map(
      Object.entries(run.live).map(([node, c]) => [node, { entered: c.entered, waiting: c.waiting, exited: c.exited }]),
    );
  return new Map(
    run.positions
      .filter((p) => p.position !== null)
      .map((p) => [p.position as string, { entered: p.members, waiting: p.active, exited: p.exited }]),
  );
}
