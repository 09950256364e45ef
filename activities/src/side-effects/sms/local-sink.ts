import type pg from 'pg';
import { digest } from '../keys.ts';
import type { SmsLookup, SmsMessage, SmsOutcome, SmsProvider } from './provider.ts';

/**
 * The default provider: records what would be sent in `sms_sink` (dev, tests, dry runs). Keyed
 * by the message key, so it is idempotent like a provider that honours idempotency keys.
 */
export function localSinkProvider(pool: pg.Pool): SmsProvider {
  const idOf = (key: string) => `sink-${digest(key, 20)}`;
  return {
    name: 'local_sink',
    idempotent: true,
    async send(batch: readonly SmsMessage[]): Promise<SmsOutcome[]> {
      if (batch.length === 0) return [];
      await pool.query(
        `INSERT INTO sms_sink (message_key, recipient, body, sms_class, segments, sink_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[])
         ON CONFLICT (message_key) DO NOTHING`,
        [
          batch.map((m) => m.key),
          batch.map((m) => m.to),
          batch.map((m) => m.body),
          batch.map((m) => m.smsClass),
          batch.map((m) => m.segments),
          batch.map((m) => idOf(m.key)),
        ],
      );
      return batch.map((m) => ({ outcome: 'sent', providerMessageId: idOf(m.key) }));
    },
    async lookup(keys: readonly string[]): Promise<Map<string, SmsLookup>> {
      const { rows } = await pool.query<{ message_key: string; sink_id: string }>(
        'SELECT message_key, sink_id FROM sms_sink WHERE message_key = ANY($1::text[])',
        [keys],
      );
      const found = new Map(rows.map((r) => [r.message_key, r.sink_id]));
      return new Map(
        keys.map((k) => [
          k,
          found.has(k) ? { found: true, providerMessageId: found.get(k) as string } : { found: false },
        ]),
      );
    },
  };
}
