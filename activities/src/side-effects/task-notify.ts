// The notification of a new staff task, per its kind's setting (task_notifications): an SMS to the
// shop owner's number or a webhook POST. Exactly once per task, whatever the activity's retries:
// the SMS goes through the messages ledger (key `task:<id>`, no customer, never counted toward a
// cap) with the send path's pending-row rules; the webhook through webhook_deliveries (same key,
// also the Idempotency-Key header), re-posted only while `pending`.
import type pg from 'pg';
import { countSms, taskKindLabels } from '@huitou/schemas';
import type { TaskKind } from '@huitou/schemas';
import { batchFailure } from './sms/failures.ts';
import { markFailed, markSent, markUnknown, noteUnknown, releaseRows } from './sms/ledger.ts';
import type { SmsOutcome, SmsProvider } from './sms/provider.ts';
import type { WebhookOptions } from './webhook.ts';
import { DEFAULT_WEBHOOK_OPTIONS, postWithRetries, retryable, webhookFailure } from './webhook.ts';

export interface TaskNotifyDeps {
  pool: pg.Pool;
  provider: SmsProvider;
  now: () => Date;
  webhook?: Partial<WebhookOptions>;
}

/** A task as the notification tells it (never the customer's phone). */
export interface NotifiedTask {
  id: number;
  kind: TaskKind;
  title: string;
  dueAt: Date;
  runId: string;
  journeyId: string;
  nodeId: string;
  customerId: number;
  orderId: number | null;
}

export interface NotifyContext {
  signature: string | undefined;
  unitPrice: number;
  timeZone: string;
}

export const taskNotificationKey = (taskId: number): string => `task:${taskId}`;

export type TaskChannel = { channel: 'sms' } | { channel: 'webhook'; url: string };

/** How a kind's new tasks are announced; null when nobody is told. */
export async function taskChannel(pool: pg.Pool, kind: TaskKind): Promise<TaskChannel | null> {
  const { rows } = await pool.query<{ channel: string; webhook_url: string | null }>(
    'SELECT channel, webhook_url FROM task_notifications WHERE kind = $1',
    [kind],
  );
  const r = rows[0];
  if (r?.channel === 'sms') return { channel: 'sms' };
  if (r?.channel === 'webhook' && r.webhook_url) return { channel: 'webhook', url: r.webhook_url };
  return null;
}

/** Notifies each task once through `channel`; a task notified by an earlier attempt is not notified again. */
export async function notifyTasks(
  deps: TaskNotifyDeps,
  ctx: NotifyContext,
  channel: TaskChannel,
  tasks: NotifiedTask[],
): Promise<void> {
  if (channel.channel === 'sms') return notifyBySms(deps, ctx, tasks);
  for (const t of tasks) await notifyByWebhook(deps, channel.url, t);
}

/** The owner's SMS: kind, title and due time; the customer is in the inbox, not in a text message. */
export function taskSmsBody(ctx: NotifyContext, task: Pick<NotifiedTask, 'kind' | 'title' | 'dueAt'>): string {
  const due = new Intl.DateTimeFormat('zh-CN', {
    timeZone: ctx.timeZone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(task.dueAt);
  return `${ctx.signature ?? ''}新任务【${taskKindLabels[task.kind].zh}】${task.title}，请于${due}前处理`;
}

interface Row {
  id: number;
  key: string;
  status: string;
  recipient: string | null;
  body: string | null;
  segments: number;
}

async function notifyBySms(deps: TaskNotifyDeps, ctx: NotifyContext, tasks: NotifiedTask[]): Promise<void> {
  const { pool, provider } = deps;
  const at = deps.now();
  const owner = (await pool.query<{ owner_phone: string | null }>('SELECT owner_phone FROM shop_settings LIMIT 1'))
    .rows[0]?.owner_phone;
  const fresh: Row[] = [];
  const leftovers: Row[] = [];
  for (const t of tasks) {
    const key = taskNotificationKey(t.id);
    const body = taskSmsBody(ctx, t);
    const count = countSms(body, ctx.unitPrice);
    const skip = !owner ? 'no_phone' : count.tooLong ? 'too_long' : null;
    const inserted = await pool.query<{ id: string }>(
      `INSERT INTO messages (message_key, run_id, node_id, customer_id, class, recipient, body, status, skip_reason,
                             segments, cost, unit_price, counts_toward_cap, created_at, updated_at)
       VALUES ($1, $2::uuid, $3, NULL, 'notification', $4, $5, $6, $7, $8, $9, $10, false, $11, $11)
       ON CONFLICT (message_key) DO NOTHING RETURNING id`,
      [
        key,
        t.runId,
        t.nodeId,
        owner ?? null,
        body,
        skip ? 'skipped' : 'pending',
        skip,
        skip ? null : count.segments,
        skip ? null : count.segments * ctx.unitPrice,
        ctx.unitPrice,
        at,
      ],
    );
    if (inserted.rows[0]) {
      if (!skip)
        fresh.push({
          id: Number(inserted.rows[0].id),
          key,
          status: 'pending',
          recipient: owner ?? null,
          body,
          segments: count.segments,
        });
      continue;
    }
    // An earlier attempt's row: only a pending one is unsettled.
    const existing = await pool.query<{
      id: string;
      status: string;
      recipient: string | null;
      body: string | null;
      segments: number | null;
    }>('SELECT id, status, recipient, body, segments FROM messages WHERE message_key = $1', [key]);
    const e = existing.rows[0];
    if (e?.status === 'pending')
      leftovers.push({
        id: Number(e.id),
        key,
        status: e.status,
        recipient: e.recipient,
        body: e.body,
        segments: e.segments ?? 0,
      });
  }
  const outgoing = [...fresh, ...(await settle(deps, leftovers, at))];
  if (outgoing.length === 0) return;
  const outcomes = await provider.send(
    outgoing.map((o) => ({
      key: o.key,
      to: o.recipient ?? '',
      body: o.body ?? '',
      smsClass: 'notification' as const,
      segments: o.segments,
    })),
  );
  await complete(deps, outgoing, outcomes, at);
}

/** Pending rows of a crashed attempt, as the send path settles them (sendSms in sms/send.ts). */
async function settle(deps: TaskNotifyDeps, rows: Row[], at: Date): Promise<Row[]> {
  if (rows.length === 0 || deps.provider.idempotent) return rows;
  if (deps.provider.lookup) {
    const found = await deps.provider.lookup(rows.map((r) => r.key));
    const sent = rows.flatMap((r) => {
      const l = found.get(r.key);
      return l?.found ? [{ id: r.id, providerMessageId: l.providerMessageId }] : [];
    });
    await markSent(deps.pool, deps.provider.name, at, sent);
    const sentIds = new Set(sent.map((s) => s.id));
    return rows.filter((r) => !sentIds.has(r.id));
  }
  await markUnknown(
    deps.pool,
    rows.map((r) => r.id),
  );
  return [];
}

async function complete(deps: TaskNotifyDeps, rows: Row[], outcomes: SmsOutcome[], at: Date): Promise<void> {
  const name = deps.provider.name;
  const sent: { id: number; providerMessageId: string }[] = [];
  const rejected: { id: number; code: string; message: string }[] = [];
  const unknown: { id: number; code: string; message: string }[] = [];
  const released: number[] = [];
  const notSent: Extract<SmsOutcome, { outcome: 'not_sent' }>[] = [];
  const unknownOutcomes: Extract<SmsOutcome, { outcome: 'unknown' }>[] = [];
  rows.forEach((row, i) => {
    const r: SmsOutcome = outcomes[i] ?? { outcome: 'unknown', code: 'no_outcome', message: 'no outcome returned' };
    if (r.outcome === 'sent') sent.push({ id: row.id, providerMessageId: r.providerMessageId });
    else if (r.outcome === 'rejected') rejected.push({ id: row.id, code: r.code, message: r.message });
    else if (r.outcome === 'not_sent') {
      released.push(row.id);
      notSent.push(r);
    } else {
      unknown.push({ id: row.id, code: r.code, message: r.message });
      unknownOutcomes.push(r);
    }
  });
  await markSent(deps.pool, name, at, sent);
  await markFailed(deps.pool, name, rejected);
  await releaseRows(deps.pool, released);
  await noteUnknown(deps.pool, name, unknown);
  const failure = batchFailure(notSent, unknownOutcomes);
  if (failure) throw failure;
}

async function notifyByWebhook(deps: TaskNotifyDeps, url: string, t: NotifiedTask): Promise<void> {
  const key = taskNotificationKey(t.id);
  await deps.pool.query(
    `INSERT INTO webhook_deliveries (delivery_key, run_id, node_id, url, members, status) VALUES ($1, $2::uuid, $3, $4, 1, 'pending')
     ON CONFLICT (delivery_key) DO NOTHING`,
    [key, t.runId, t.nodeId, url],
  );
  const { rows } = await deps.pool.query<{ status: string; url: string }>(
    'SELECT status, url FROM webhook_deliveries WHERE delivery_key = $1',
    [key],
  );
  if (rows[0]?.status !== 'pending') return; // done, or refused for good
  const payload = {
    event: 'task.created',
    task: {
      id: t.id,
      kind: t.kind,
      title: t.title,
      dueAt: t.dueAt.toISOString(),
      journeyId: t.journeyId,
      runId: t.runId,
      nodeId: t.nodeId,
      customerId: t.customerId,
      orderId: t.orderId,
    },
  };
  const options = { ...DEFAULT_WEBHOOK_OPTIONS, ...deps.webhook };
  const { result, attempts } = await postWithRetries(deps.pool, rows[0].url, payload, key, options);
  const ok = result.kind === 'response' && result.status >= 200 && result.status < 300;
  const again = !ok && retryable(result);
  await deps.pool.query(
    `UPDATE webhook_deliveries SET status = $2, attempts = attempts + $3, http_status = $4, error = $5, updated_at = now() WHERE delivery_key = $1`,
    [
      key,
      ok ? 'done' : again ? 'pending' : 'failed',
      attempts,
      result.kind === 'response' ? result.status : null,
      result.kind === 'error' ? result.code : ok ? null : `http_${result.status}`,
    ],
  );
  // A receiver that refuses (4xx) is recorded and left; one that is down is retried with the activity.
  if (again) throw webhookFailure(result);
}
