// API keys: random tokens, stored as SHA-256 hashes (a database leak reveals no usable key), sent
// as `Authorization: Bearer <key>`. The key is shown once, when created.
import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import type { Role } from '@huitou/schemas/http';
import { roles } from '@huitou/schemas/http';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { withTransaction } from '../db/transaction.ts';
import { ApiError } from './errors.ts';
import type { KeyUsage } from './key-usage.ts';

export interface Principal {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
  /** What audit_log records as the actor. */
  readonly actor: string;
}

const KEY_PREFIX = 'hk_';

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export interface CreatedKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  /** The secret; never stored, never shown again. */
  key: string;
  createdAt: Date;
}

export async function createApiKey(
  db: Db,
  input: { name: string; role: Role; createdBy?: string },
): Promise<CreatedKey> {
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const prefix = key.slice(0, KEY_PREFIX.length + 6);
  const { rows } = await db.query<{ id: string; created_at: Date }>(
    'INSERT INTO api_keys (name, role, key_hash, key_prefix, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at',
    [input.name, input.role, hashKey(key), prefix, input.createdBy ?? null],
  );
  return { id: rows[0].id, name: input.name, role: input.role, prefix, key, createdAt: rows[0].created_at };
}

/**
 * On first start there is no key at all, so nobody could create one: make an admin key and return
 * it (the caller prints it once). Returns null when an active admin key exists. Safe when several
 * processes start at once (advisory lock).
 */
export async function ensureAdminKey(pool: pg.Pool): Promise<CreatedKey | null> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('huitou.ensure_admin_key'))`);
    const { rowCount } = await client.query(
      `SELECT 1 FROM api_keys WHERE role = 'admin' AND revoked_at IS NULL LIMIT 1`,
    );
    if (rowCount) return null;
    const created = await createApiKey(client, { name: 'first admin', role: 'admin', createdBy: 'system' });
    await audit(
      client,
      'system',
      'key.create',
      { type: 'api_key', id: created.id },
      { role: 'admin', name: created.name },
    );
    return created;
  });
}

/**
 * Resolves the bearer key to a principal (res.locals.principal) or answers 401; notes the key's use.
 * `keyInQuery`: a vendor callback that cannot send headers may carry the key as `?key=` instead.
 */
export function authenticate(pool: pg.Pool, usage?: KeyUsage, options: { keyInQuery?: boolean } = {}): RequestHandler {
  const lookup = keyLookup(pool);
  return async (req, res, next) => {
    try {
      const header = req.get('authorization') ?? '';
      const queryKey = options.keyInQuery && !header && typeof req.query.key === 'string' ? req.query.key : undefined;
      const key = queryKey ?? /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!key)
        throw new ApiError(401, 'unauthenticated', 'missing or malformed Authorization: Bearer <key> header', [
          'headers',
          'authorization',
        ]);
      const row = await lookup(hashKey(key));
      if (!row || !roles.includes(row.role))
        throw new ApiError(401, 'unauthenticated', 'unknown or revoked API key', ['headers', 'authorization']);
      res.locals.principal = {
        keyId: row.id,
        name: row.name,
        role: row.role,
        actor: `key:${row.id}`,
      } satisfies Principal;
      usage?.record(row.id);
      next();
    } catch (error) {
      next(error);
    }
  };
}

interface KeyRow {
  id: string;
  name: string;
  role: Role;
}

/**
 * Key lookups of requests that arrive in the same turn of the event loop go to Postgres as one
 * query. Every request is still checked against the table (no cache), so a revoked key stops
 * working at once.
 */
function keyLookup(pool: pg.Pool): (hash: string) => Promise<KeyRow | undefined> {
  let waiting = new Map<string, { resolve: (row: KeyRow | undefined) => void; reject: (error: unknown) => void }[]>();
  const flush = () => {
    const batch = waiting;
    waiting = new Map();
    pool
      .query<KeyRow & { key_hash: string }>(
        'SELECT id, name, role, key_hash FROM api_keys WHERE key_hash = ANY($1::text[]) AND revoked_at IS NULL',
        [[...batch.keys()]],
      )
      .then(
        ({ rows }) => {
          const found = new Map(rows.map((r) => [r.key_hash, { id: r.id, name: r.name, role: r.role }]));
          for (const [hash, callers] of batch) for (const c of callers) c.resolve(found.get(hash));
        },
        (error: unknown) => {
          for (const callers of batch.values()) for (const c of callers) c.reject(error);
        },
      );
  };
  return (hash) =>
    new Promise((resolve, reject) => {
      if (waiting.size === 0) setImmediate(flush);
      const callers = waiting.get(hash) ?? [];
      callers.push({ resolve, reject });
      waiting.set(hash, callers);
    });
}
