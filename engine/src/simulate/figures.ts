// What a simulated run did, per node, read back from the sandbox's own ledgers: the same rows a
// real run writes (messages, coupons, action_ledger, evaluations), so the figures cannot drift
// from what the real send path would do.
import type pg from 'pg';

export interface SmsFigures {
  sent: number;
  failed: number;
  /** Members not sent to, by reason (no_phone, opted_out, frequency_cap, missing_variable...). */
  skipped: Record<string, number>;
  segments: number;
  cost: number;
}

export interface ActionFigures {
  done: number;
  skipped: Record<string, number>;
}

export interface CouponFigures extends ActionFigures {
  /** Face value of the coupons issued. */
  value: number;
}

export interface CheckpointFigures {
  treatmentTargets: number;
  holdoutTargets: number;
  /** Evaluations at this node (cohorts x cycles), each over its own window. */
  windows: { start: Date; end: Date; treatmentTargets: number }[];
}

export interface LedgerFigures {
  sms: Map<string, SmsFigures>;
  coupons: Map<string, CouponFigures>;
  actions: Map<string, ActionFigures>;
  checkpoints: Map<string, CheckpointFigures>;
}

const SENT = ['sending', 'sent', 'delivered'];

function entry<T>(map: Map<string, T>, node: string, make: () => T): T {
  let value = map.get(node);
  if (!value) map.set(node, (value = make()));
  return value;
}

function addSkip(skipped: Record<string, number>, reason: string | null, n: number): void {
  const key = reason ?? 'unknown';
  skipped[key] = (skipped[key] ?? 0) + n;
}

/** The figures of every run in the sandbox (a simulation's runs are all its own). */
export async function ledgerFigures(pool: pg.Pool): Promise<LedgerFigures> {
  const out: LedgerFigures = { sms: new Map(), coupons: new Map(), actions: new Map(), checkpoints: new Map() };

  const messages = await pool.query<{
    node_id: string;
    status: string;
    skip_reason: string | null;
    n: number;
    segments: number;
    cost: number;
  }>(
    `SELECT node_id, status, skip_reason, count(*)::int AS n, coalesce(sum(segments), 0)::int AS segments, coalesce(sum(cost), 0)::float8 AS cost
     FROM messages GROUP BY node_id, status, skip_reason`,
  );
  for (const r of messages.rows) {
    const f = entry<SmsFigures>(out.sms, r.node_id, () => ({ sent: 0, failed: 0, skipped: {}, segments: 0, cost: 0 }));
    if (SENT.includes(r.status)) {
      f.sent += r.n;
      f.segments += r.segments;
      f.cost += r.cost;
    } else if (r.status === 'skipped') addSkip(f.skipped, r.skip_reason, r.n);
    else f.failed += r.n;
  }

  const coupons = await pool.query<{ node_id: string; n: number; value: number }>(
    'SELECT node_id, count(*)::int AS n, coalesce(sum(value), 0)::float8 AS value FROM coupons GROUP BY node_id',
  );
  for (const r of coupons.rows)
    Object.assign(
      entry<CouponFigures>(out.coupons, r.node_id, () => ({ done: 0, skipped: {}, value: 0 })),
      { done: r.n, value: r.value },
    );

  // Skips of every non-SMS action, and what the actions without a table of their own (tags, tasks,
  // custom activities) did.
  const actions = await pool.query<{
    node_id: string;
    kind: string;
    status: string;
    skip_reason: string | null;
    n: number;
  }>(
    'SELECT node_id, kind, status, skip_reason, count(*)::int AS n FROM action_ledger GROUP BY node_id, kind, status, skip_reason',
  );
  for (const r of actions.rows) {
    const f: ActionFigures =
      r.kind === 'coupon'
        ? entry<CouponFigures>(out.coupons, r.node_id, () => ({ done: 0, skipped: {}, value: 0 }))
        : entry<ActionFigures>(out.actions, r.node_id, () => ({ done: 0, skipped: {} }));
    if (r.status === 'skipped') addSkip(f.skipped, r.skip_reason, r.n);
    else if (r.kind !== 'coupon') f.done += r.n;
  }

  const evaluations = await pool.query<{
    node_id: string;
    window_start: Date;
    window_end: Date;
    treatment: number;
    holdout: number;
  }>(
    `SELECT node_id, window_start, window_end, coalesce((treatment->>'targets')::int, 0) AS treatment, coalesce((holdout->>'targets')::int, 0) AS holdout
     FROM evaluations ORDER BY window_start, node_id`,
  );
  for (const r of evaluations.rows) {
    const f = entry<CheckpointFigures>(out.checkpoints, r.node_id, () => ({
      treatmentTargets: 0,
      holdoutTargets: 0,
      windows: [],
    }));
    f.treatmentTargets += r.treatment;
    f.holdoutTargets += r.holdout;
    f.windows.push({ start: r.window_start, end: r.window_end, treatmentTargets: r.treatment });
  }
  return out;
}
