import { ApplicationFailure } from '@temporalio/activity';
import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../contract.ts';
import { existingActions, recordActions } from './action-ledger.ts';
import { heartbeat } from './guards.ts';
import type { PostResult } from './http.ts';
import { postBody } from './http.ts';
import { cyclePath, digest, keyPrefix } from './keys.ts';
import { armCounts, inTransaction } from './members.ts';
import { ResultTally } from './result.ts';
import { forEachTreatmentPage } from './treatment-walk.ts';
import { signedWebhookHeaders, webhookEndpointSecret } from './webhook-signing.ts';

export interface WebhookOptions {
  timeoutMs: number;
  /** Attempts per POST inside one activity attempt (Temporal retries the activity after that). */
  attempts: number;
  /** First backoff; doubles each attempt (plus jitter). */
  backoffMs: number;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { timeoutMs: 10_000, attempts: 3, backoffMs: 500 };

/**
 * Posts the treatment members in batches of `params.batchSize`:
 * `{ journeyId, runId, nodeId, cyclePath, customers: [{ id, externalId }] }` with an
 * `Idempotency-Key` header derived from the batch's content, so a receiver that honours it sees
 * each batch once even when a lost answer makes us send it again; signed per Standard Webhooks
 * (webhook-signing.ts). Members are marked done only
 * after a 2xx; 4xx (except 408/429) is a non-retryable failure (the receiver refuses us).
 */
export async function callWebhook(
  deps: { pool: pg.Pool; batchSize?: number; webhook?: Partial<WebhookOptions> },
  call: NodeCall<NodeParams<'action.webhook'>>,
): Promise<ActionResult> {
  const { pool } = deps;
  const options = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhook };
  const p = call.params;
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const prefix = keyPrefix(call);
  const ledger = {
    kind: 'webhook' as const,
    runId: call.ref.runId,
    nodeId: call.nodeId,
    cyclePath: cyclePath(call.cycles),
    prefix,
  };
  await forEachTreatmentPage(
    { pool, ref: call.ref, treatment: arms.treatment, tally, batchSize: deps.batchSize },
    async (page) => {
      const existing = await existingActions(pool, prefix, page);
      tally.alreadyDone += existing.size;
      const fresh = page.filter((id) => !existing.has(id));
      for (let i = 0; i < fresh.length; i += p.batchSize) {
        const ids = fresh.slice(i, i + p.batchSize);
        const key = digest(`${prefix}${ids.join(',')}`);
        const customers = await pool.query<{ id: string; external_id: string | null }>(
          'SELECT id, external_id FROM customers WHERE id = ANY($1::bigint[]) ORDER BY id',
          [ids],
        );
        await pool.query(
          `INSERT INTO webhook_deliveries (delivery_key, run_id, node_id, url, members, status) VALUES ($1, $2::uuid, $3, $4, $5, 'pending')
         ON CONFLICT (delivery_key) DO NOTHING`,
          [key, call.ref.runId, call.nodeId, p.url, ids.length],
        );
        const payload = {
          journeyId: call.journeyId,
          runId: call.ref.runId,
          nodeId: call.nodeId,
          cyclePath: ledger.cyclePath,
          customers: customers.rows.map((c) => ({ id: Number(c.id), externalId: c.external_id })),
        };
        const { result, attempts } = await postWithRetries(pool, p.url, payload, key, options);
        const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
        await pool.query(
          `UPDATE webhook_deliveries SET status = $2, attempts = attempts + $3, http_status = $4, error = $5, updated_at = now() WHERE delivery_key = $1`,
          [
            key,
            ok ? 'done' : 'failed',
            attempts,
            result.kind === 'response' ? result.status : null,
            result.kind === 'error' ? result.code : ok ? null : `http_${result.status}`,
          ],
        );
        if (!ok) throw webhookFailure(result);
        await inTransaction(pool, async (client) => {
          const recorded = await recordActions(
            client,
            ledger,
            ids.map((id) => ({ customerId: id, status: 'done' as const, detail: { delivery: key } })),
          );
          tally.done += recorded.size;
          tally.alreadyDone += ids.length - recorded.size;
        });
      }
    },
  );
  return tally.result(arms);
}

export function retryable(result: PostResult): boolean {
  if (result.kind === 'error') return true;
  return result.status === 408 || result.status === 429 || result.status >= 500;
}

/**
 * POSTs `payload` to `url`, signed with the endpoint's secret (webhook-signing.ts) and carrying
 * `key` as both Idempotency-Key and webhook-id, retrying what may succeed later.
 */
export async function postWithRetries(
  pool: pg.Pool,
  url: string,
  payload: unknown,
  key: string,
  options: WebhookOptions,
): Promise<{ result: PostResult; attempts: number }> {
  const secret = await webhookEndpointSecret(pool, url);
  const body = JSON.stringify(payload);
  let result: PostResult = { kind: 'error', maybeProcessed: false, code: 'not_attempted', message: '' };
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    result = await postBody(url, body, {
      timeoutMs: options.timeoutMs,
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        ...signedWebhookHeaders(secret, key, body, new Date()),
      },
    });
    if (!retryable(result) || attempt === options.attempts) return { result, attempts: attempt };
    const retryAfter = result.kind === 'response' ? result.retryAfterMs : undefined;
    const backoff = options.backoffMs * 2 ** (attempt - 1) * (1 + Math.random() * 0.2);
    heartbeat({ webhookAttempt: attempt });
    await new Promise((resolve) => setTimeout(resolve, retryAfter ?? backoff));
  }
  return { result, attempts: options.attempts };
}

export function webhookFailure(result: PostResult): ApplicationFailure {
  const what = result.kind === 'error' ? result.code : `HTTP ${result.status}`;
  if (retryable(result))
    return ApplicationFailure.retryable(`webhook failed after retries: ${what}`, 'WebhookUnavailable');
  return ApplicationFailure.nonRetryable(`webhook refused the batch: ${what}`, 'WebhookRejected');
}
