import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../contract.ts';
import { existingActions, recordActions } from './action-ledger.ts';
import { effectiveNow } from './guards.ts';
import { cyclePath, digest, keyPrefix, memberKey } from './keys.ts';
import { armCounts, inTransaction } from './members.ts';
import { ResultTally } from './result.ts';
import { forEachTreatmentPage } from './treatment-walk.ts';

export interface CouponDeps {
  pool: pg.Pool;
  now: () => Date;
  batchSize?: number;
}

/** The stock a coupon node draws from: shared by every shard and run of the journey. */
export function couponStockKey(journeyId: string, nodeId: string): string {
  return `${journeyId}/${nodeId}`;
}

/** A readable code derived from the issue key, so a retry re-derives the same code. */
export function couponCode(issueKey: string): string {
  return `HT${BigInt(`0x${digest(issueKey, 15)}`)
    .toString(36)
    .toUpperCase()
    .padStart(12, '0')}`;
}

/**
 * Issues one coupon per treatment member, idempotently per (run, shard/trigger, node, cycle,
 * customer). With limited stock, each batch takes the stock row's lock, issues at most what is
 * left and records the rest as skipped `out_of_stock`, so concurrent shards never over-issue.
 */
export async function issueCoupon(
  deps: CouponDeps,
  call: NodeCall<NodeParams<'action.coupon'>>,
): Promise<ActionResult> {
  const { pool } = deps;
  const p = call.params;
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const prefix = keyPrefix(call);
  const stockKey = couponStockKey(call.journeyId, call.nodeId);
  if (p.stock !== null) {
    await pool.query('INSERT INTO coupon_stock (stock_key, total) VALUES ($1, $2) ON CONFLICT (stock_key) DO NOTHING', [
      stockKey,
      p.stock,
    ]);
  }
  const ledger = {
    kind: 'coupon' as const,
    runId: call.ref.runId,
    nodeId: call.nodeId,
    cyclePath: cyclePath(call.cycles),
    prefix,
  };
  await forEachTreatmentPage(
    { pool, ref: call.ref, treatment: arms.treatment, tally, batchSize: deps.batchSize },
    async (ids) => {
      const at = new Date(effectiveNow(call.now, deps.now));
      await inTransaction(pool, async (client) => {
        const issued = await client.query<{ customer_id: string }>(
          `SELECT customer_id FROM coupons WHERE issue_key = ANY(SELECT $1 || id::text FROM unnest($2::bigint[]) AS u(id))`,
          [prefix, ids],
        );
        const done = new Set(issued.rows.map((r) => Number(r.customer_id)));
        const skipped = await existingActions(client, prefix, ids);
        const fresh = ids.filter((id) => !done.has(id) && !skipped.has(id));
        tally.alreadyDone += done.size;
        for (const s of skipped.values()) tally.skip(s.skipReason ?? 'skipped');

        let allowed = fresh.length;
        if (p.stock !== null && fresh.length > 0) {
          // The row lock serializes every batch of every shard drawing from this stock.
          const stock = await client.query<{ total: number; issued: number }>(
            'SELECT total, issued FROM coupon_stock WHERE stock_key = $1 FOR UPDATE',
            [stockKey],
          );
          allowed = Math.min(fresh.length, Math.max(0, stock.rows[0].total - stock.rows[0].issued));
        }
        let give = fresh.slice(0, allowed);
        // A pool's codes are claimed in this transaction: a failed batch gives them back.
        const drawn = p.pool ? await claimPoolCodes(client, p.pool, give.length, at) : null;
        const poolCodes = drawn?.codes ?? null;
        if (poolCodes) {
          allowed = poolCodes.length;
          give = give.slice(0, allowed);
        }
        // A pool with terms (migration 099) sets the value and expiry; else the node's own.
        const terms = drawn?.terms ?? { value: p.amount, expiresAt: new Date(at.getTime() + p.validityMs) };
        const inserted = await client.query<{ id: string; customer_id: string; code: string }>(
          `INSERT INTO coupons (issue_key, code, template, customer_id, run_id, node_id, cycle_path, value, min_spend, issued_at, expires_at, referral)
         SELECT u.key, u.code, $1, u.id, $2::uuid, $3, $4, $5::numeric, $6::numeric, $7::timestamptz, $8::timestamptz, $12::boolean
         FROM unnest($9::text[], $10::text[], $11::bigint[]) AS u(key, code, id)
         ON CONFLICT (issue_key) DO NOTHING RETURNING id, customer_id, code`,
          [
            p.name,
            call.ref.runId,
            call.nodeId,
            ledger.cyclePath,
            terms.value,
            p.threshold,
            at,
            terms.expiresAt,
            give.map((id) => memberKey(prefix, id)),
            poolCodes ?? give.map((id) => couponCode(memberKey(prefix, id))),
            give,
            p.referral ?? false,
          ],
        );
        if (poolCodes)
          await client.query(
            'UPDATE coupon_pool_codes c SET coupon_id = u.id FROM unnest($1::text[], $2::bigint[]) AS u(code, id) WHERE c.code = u.code',
            [inserted.rows.map((r) => r.code), inserted.rows.map((r) => r.id)],
          );
        tally.done += inserted.rowCount ?? 0;
        tally.alreadyDone += give.length - (inserted.rowCount ?? 0);
        if (p.stock !== null)
          await client.query('UPDATE coupon_stock SET issued = issued + $2 WHERE stock_key = $1', [
            stockKey,
            inserted.rowCount ?? 0,
          ]);
        // An expired pool hands out nothing: its codes would not be honoured.
        const reason = drawn?.expired ? 'pool_expired' : 'out_of_stock';
        const out = fresh
          .slice(allowed)
          .map((id) => ({ customerId: id, status: 'skipped' as const, skipReason: reason }));
        const recorded = await recordActions(client, ledger, out);
        tally.skip(reason, recorded.size);
        tally.alreadyDone += out.length - recorded.size;
      });
    },
  );
  return tally.result(arms);
}

/** What a draw from a pool gives: its codes, and its terms when it has them (migration 099). */
interface PoolDraw {
  codes: string[];
  terms: { value: number; expiresAt: Date } | null;
  /** The pool's fixed expiry has passed: nothing is drawn. */
  expired: boolean;
}

/**
 * Up to `n` free codes of the named pool, locked for this transaction (SKIP LOCKED: concurrent
 * shards take different codes), with the value and expiry of a coupon issued at `at`. An unknown
 * pool is a configuration error no retry can fix.
 */
async function claimPoolCodes(client: pg.PoolClient, pool: string, n: number, at: Date): Promise<PoolDraw> {
  const known = await client.query<{
    id: string;
    value: string | null;
    valid_days: number | null;
    expires_at: Date | null;
  }>('SELECT id, value, valid_days, expires_at FROM coupon_pools WHERE name = $1', [pool]);
  const row = known.rows[0];
  if (!row) throw ApplicationFailure.nonRetryable(`no coupon pool named ${JSON.stringify(pool)}`, 'CouponPoolUnknown');
  const terms =
    row.value === null
      ? null
      : {
          value: Number(row.value),
          expiresAt: row.expires_at ?? new Date(at.getTime() + (row.valid_days as number) * 86_400_000),
        };
  const expired = terms !== null && terms.expiresAt.getTime() <= at.getTime();
  if (n === 0 || expired) return { codes: [], terms, expired };
  const { rows } = await client.query<{ code: string }>(
    `SELECT code FROM coupon_pool_codes WHERE pool_id = $1 AND coupon_id IS NULL ORDER BY code LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [row.id, n],
  );
  return { codes: rows.map((r) => r.code), terms, expired };
}
