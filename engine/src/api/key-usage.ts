// `lastUsedAt` of API keys (GET /api/keys): when each key was last used, to the minute. Written
// off the request path and batched: a key's use is recorded at most once a minute per process,
// and the uses recorded in one turn of the event loop go to Postgres as one UPDATE.
import type pg from 'pg';
import type { LogFn } from '../observability/logger.ts';

/** A key's last use is written again only after this long (the precision of lastUsedAt). */
export const KEY_USAGE_INTERVAL_MS = 60_000;

export interface KeyUsage {
  /** Notes that the key was used now; never waits and never fails the request. */
  record(keyId: string): void;
}

export function keyUsageRecorder(pool: pg.Pool, options: { now?: () => Date; log?: LogFn } = {}): KeyUsage {
  const now = options.now ?? (() => new Date());
  /** keyId → the use (ms) last sent to Postgres by this process. */
  const recorded = new Map<string, number>();
  let pending = new Map<string, Date>();

  const flush = () => {
    const batch = pending;
    pending = new Map();
    const ids = [...batch.keys()];
    // GREATEST: several engines share the table, and an older batch may land after a newer one.
    pool
      .query(
        `UPDATE api_keys AS k SET last_used_at = GREATEST(k.last_used_at, u.at)
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE k.id = u.id`,
        [ids, [...batch.values()]],
      )
      .catch((error: unknown) => {
        // Not written: let the next use of these keys try again.
        for (const id of ids) recorded.delete(id);
        options.log?.(
          `recording API key use failed: ${error instanceof Error ? error.message : String(error)}`,
          'warn',
        );
      });
  };

  return {
    record(keyId) {
      const at = now();
      const last = recorded.get(keyId);
      if (last !== undefined && at.getTime() - last < KEY_USAGE_INTERVAL_MS) return;
      recorded.set(keyId, at.getTime());
      if (pending.size === 0) setImmediate(flush);
      pending.set(keyId, at);
    },
  };
}
