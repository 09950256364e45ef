// API keys: random tokens, stored as SHA-256 hashes (a database leak reveals no usable key), sent
// as `Authorization: Bearer <key>`. The key is shown once, when created.
import { hash as digest, randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type pg from 'pg';
import { namedStatement } from '@huitou/activities/db';
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

// The one-shot hash: a Hash object per request cost more than the digest itself.
export const hashKey = (key: string): string => digest('sha256', key, 'hex');

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

const KEYS_BY_HASH = namedStatement(
  'api_keys.by_hash',
  'SELECT id, name, role, key_hash FROM api_keys WHERE key_hash = ANY($1::text[]) AND revoked_at IS NULL',
);

/** How long a key found valid is trusted without asking the table again. */
export const KEY_CACHE_MS = 1000;

/** The key caches of each pool's lookups, and how often they were emptied (a revocation). */
const keyCaches = new WeakMap<pg.Pool, { caches: Set<Map<string, CachedKey>>; generation: number }>();

interface CachedKey {
  row: KeyRow;
  until: number;
}

/**
 * Empties the key caches of this process; the revoke route calls it after its commit, so a key
 * revoked here stops working at once (on other engine processes within KEY_CACHE_MS).
 */
export function forgetCachedKeys(pool: pg.Pool): void {
  const state = keyCaches.get(pool);
  if (!state) return;
  state.generation++;
  for (const cache of state.caches) cache.clear();
}

/**
 * Key lookups of requests that arrive in the same turn of the event loop go to Postgres as one
 * query, and a key found valid is trusted for KEY_CACHE_MS: at 1,000 requests/s the lookups were
 * a quarter of the engine's queries. Unknown and revoked keys are never cached.
 */
function keyLookup(pool: pg.Pool): (hash: string) => Promise<KeyRow | undefined> {
  const state = keyCaches.get(pool) ?? { caches: new Set(), generation: 0 };
  keyCaches.set(pool, state);
  const cache = new Map<string, CachedKey>();
  state.caches.add(cache);
  let waiting = new Map<string, { resolve: (row: KeyRow | undefined) => void; reject: (error: unknown) => void }[]>();
  const flush = () => {
    const batch = waiting;
    waiting = new Map();
    // A revocation committed while this query ran: its answer may predate it, so it is not cached.
    const generation = state.generation;
    pool.query<KeyRow & { key_hash: string }>(KEYS_BY_HASH([[...batch.keys()]])).then(
      ({ rows }) => {
        const found = new Map(rows.map((r) => [r.key_hash, { id: r.id, name: r.name, role: r.role }]));
        if (generation === state.generation)
          for (const [hash, row] of found) cache.set(hash, { row, until: Date.now() + KEY_CACHE_MS });
        for (const [hash, callers] of batch) for (const c of callers) c.resolve(found.get(hash));
      },
      (error: unknown) => {
        for (const callers of batch.values()) for (const c of callers) c.reject(error);
      },
    );
  };
  return (hash) => {
    const hit = cache.get(hash);
    if (hit && hit.until > Date.now()) return Promise.resolve(hit.row);
    if (hit) cache.delete(hash);
    return new Promise((resolve, reject) => {
      if (waiting.size === 0) setImmediate(flush);
      const callers = waiting.get(hash) ?? [];
      callers.push({ resolve, reject });
      waiting.set(hash, callers);
    });
  };
}
