// Idempotency-Key on campaign writes (run start, publish, schedule creation): a client that
// retries (timeout, crash, double click) with the same key gets the first answer instead of a
// second campaign. The key's row is written in the same transaction as the resource the request
// makes, so a retry after a crash finds that resource; no transaction is held across the request
// (PGlite has one backend), and concurrent requests with one key serialise on the row's lock.
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Db } from '../db/transaction.ts';
import { ApiError } from './errors.ts';
import type { Principal } from './auth.ts';

import { IDEMPOTENCY_HEADER } from '@huitou/schemas/http';

export { IDEMPOTENCY_HEADER };
/** Visible ASCII, 1–255 characters (a UUID is the usual choice). */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** What a route handler sees of the key: used inside the transaction that makes the resource. */
export interface Idempotency {
  /** Locks the key's row (making it); returns the resource an earlier attempt with this key made. */
  claim(db: Db): Promise<string | undefined>;
  /** Records the resource this request made, in the same transaction. */
  record(db: Db, resourceId: string): Promise<void>;
}

export interface Answer {
  status: number;
  body: unknown;
}

interface KeyRef {
  principal: string;
  route: string;
  key: string;
  hash: string;
}

const reused = () =>
  new ApiError(
    409,
    'idempotency_key_reused',
    `this ${IDEMPOTENCY_HEADER} was used with another request (other path or body); use a new key`,
    ['headers', 'idempotency-key'],
  );

/** JSON with keys sorted, so equal bodies hash equally whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Before the handler: without the header, nothing to do; with a key already answered for the same
 * request, that answer (to replay); with a key used for another request, a 409.
 */
export async function beginIdempotent(
  pool: pg.Pool,
  input: { principal: Principal; route: string; header: string | undefined; params: unknown; body: unknown },
): Promise<{ replay: Answer } | { ref?: KeyRef }> {
  if (input.header === undefined) return {};
  if (!KEY_PATTERN.test(input.header))
    throw new ApiError(
      400,
      'invalid_idempotency_key',
      `${IDEMPOTENCY_HEADER} must be 1–255 visible ASCII characters (a UUID, say)`,
      ['headers', 'idempotency-key'],
    );
  const ref: KeyRef = {
    principal: input.principal.keyId,
    route: input.route,
    key: input.header,
    hash: createHash('sha256')
      .update(canonical({ params: input.params, body: input.body }))
      .digest('hex'),
  };
  const { rows } = await pool.query<{ request_hash: string; status: number | null; response: unknown }>(
    'SELECT request_hash, status, response FROM idempotency_keys WHERE principal = $1 AND route = $2 AND key = $3',
    [ref.principal, ref.route, ref.key],
  );
  const row = rows[0];
  if (row && row.request_hash !== ref.hash) throw reused();
  if (row?.status != null) return { replay: { status: row.status, body: row.response } };
  return { ref };
}

/** The handler's view of a key (undefined without the header). */
export function idempotencyOf(ref: KeyRef | undefined): Idempotency | undefined {
  if (!ref) return undefined;
  const where = 'principal = $1 AND route = $2 AND key = $3';
  const args = [ref.principal, ref.route, ref.key];
  return {
    async claim(db) {
      // Waits for a concurrent request's uncommitted row with this key, then locks it.
      await db.query(
        `INSERT INTO idempotency_keys (principal, route, key, request_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [...args, ref.hash],
      );
      const { rows } = await db.query<{ request_hash: string; resource_id: string | null }>(
        `SELECT request_hash, resource_id FROM idempotency_keys WHERE ${where} FOR UPDATE`,
        args,
      );
      if (rows[0].request_hash !== ref.hash) throw reused();
      return rows[0].resource_id ?? undefined;
    },
    async record(db, resourceId) {
      await db.query(`UPDATE idempotency_keys SET resource_id = $4 WHERE ${where}`, [...args, resourceId]);
    },
  };
}

/**
 * After a successful handler: stores its answer, unless a concurrent request with the key stored
 * one first; then every request with the key answers the stored one.
 */
export async function finishIdempotent(pool: pg.Pool, ref: KeyRef | undefined, answer: Answer): Promise<Answer> {
  if (!ref) return answer;
  const args = [ref.principal, ref.route, ref.key];
  const { rowCount } = await pool.query(
    `UPDATE idempotency_keys SET status = $4, response = $5::json
     WHERE principal = $1 AND route = $2 AND key = $3 AND status IS NULL`,
    [...args, answer.status, JSON.stringify(answer.body)],
  );
  if (rowCount) return answer;
  const { rows } = await pool.query<{ status: number | null; response: unknown }>(
    'SELECT status, response FROM idempotency_keys WHERE principal = $1 AND route = $2 AND key = $3',
    args,
  );
  return rows[0]?.status != null ? { status: rows[0].status, body: rows[0].response } : answer;
}
