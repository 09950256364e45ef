// Who hears of a new task, per kind (task_notifications) and the shop owner's number
// (shop_settings.owner_phone). The activity that creates tasks reads them (task-notify.ts).
import type pg from 'pg';
import { parsePhone } from '@huitou/schemas/phone';
import { taskKinds } from '@huitou/schemas';
import type { TaskNotifications, UpdateTaskNotificationsRequest } from '@huitou/schemas/http';
import type { Actor } from '../audit.ts';
import { audit } from '../audit.ts';
import type { Db } from '../db/transaction.ts';
import { ApiError } from '../errors.ts';

export async function readTaskNotifications(db: Db): Promise<TaskNotifications> {
  const owner = await db.query<{ owner_phone: string | null }>('SELECT owner_phone FROM shop_settings LIMIT 1');
  const { rows } = await db.query<{ kind: string; channel: 'none' | 'sms' | 'webhook'; webhook_url: string | null }>(
    'SELECT kind, channel, webhook_url FROM task_notifications ORDER BY kind',
  );
  const set = new Map(rows.map((r) => [r.kind, r]));
  return {
    ownerPhone: owner.rows[0]?.owner_phone ?? null,
    kinds: Object.fromEntries(
      taskKinds.map((k) => [
        k,
        { channel: set.get(k)?.channel ?? 'none', webhookUrl: set.get(k)?.webhook_url ?? null },
      ]),
    ) as TaskNotifications['kinds'],
  };
}

/** Validated whole before the first write (the caller's transaction); audited without the number or URL. */
export async function updateTaskNotifications(
  db: pg.PoolClient,
  who: Actor,
  body: UpdateTaskNotificationsRequest,
): Promise<void> {
  let ownerPhone: string | null | undefined = undefined;
  if (body.ownerPhone === null) ownerPhone = null;
  else if (body.ownerPhone !== undefined) {
    const parsed = parsePhone(body.ownerPhone);
    if (parsed.kind !== 'mobile')
      throw new ApiError(400, 'invalid_request', 'expected a mobile number (SMS goes to it)', ['body', 'ownerPhone']);
    ownerPhone = parsed.e164;
  }
  const kinds = Object.entries(body.kinds ?? {});
  for (const [kind, setting] of kinds) {
    if (!setting) continue;
    const path = ['body', 'kinds', kind];
    if (setting.channel === 'webhook' && !setting.webhookUrl)
      throw new ApiError(400, 'invalid_request', 'a webhook notification needs webhookUrl', [...path, 'webhookUrl']);
    if (setting.channel !== 'webhook' && setting.webhookUrl)
      throw new ApiError(400, 'invalid_request', 'webhookUrl goes with channel webhook only', [...path, 'webhookUrl']);
  }
  if (ownerPhone !== undefined)
    await db.query('UPDATE shop_settings SET owner_phone = $1, updated_at = now()', [ownerPhone]);
  for (const [kind, setting] of kinds) {
    if (!setting) continue;
    await db.query(
      `INSERT INTO task_notifications (kind, channel, webhook_url) VALUES ($1, $2, $3)
       ON CONFLICT (kind) DO UPDATE SET channel = EXCLUDED.channel, webhook_url = EXCLUDED.webhook_url, updated_at = now()`,
      [kind, setting.channel, setting.webhookUrl ?? null],
    );
  }
  const after = await readTaskNotifications(db);
  const smsKinds = Object.entries(after.kinds).filter(([, s]) => s.channel === 'sms');
  if (smsKinds.length > 0 && !after.ownerPhone)
    throw new ApiError(400, 'invalid_request', "SMS notifications need the shop owner's number (ownerPhone)", [
      'body',
      'ownerPhone',
    ]);
  await audit(
    db,
    who,
    'task-notifications.update',
    { type: 'shop_settings' },
    {
      ownerPhone: ownerPhone === undefined ? 'kept' : ownerPhone === null ? 'cleared' : 'set',
      kinds: Object.fromEntries(kinds.map(([k, s]) => [k, s?.channel])),
    },
  );
}
