import type pg from 'pg';
import type { NodeParams } from '@huitou/schemas';
import { composeSms, countSms, renderTemplate } from '@huitou/schemas';
import type { ActionResult, NodeCall } from '../../contract.ts';
import { currentState, effectiveNow, heartbeat, sendDeferral } from '../guards.ts';
import { cyclePath, innermostCycle, keyPrefix, memberKey } from '../keys.ts';
import { DEFAULT_BATCH_SIZE, armCounts, inTransaction, treatmentPages } from '../members.ts';
import { ResultTally } from '../result.ts';
import { batchFailure } from './failures.ts';
import type { MemberFacts, NewRow, Outgoing, RowContext } from './ledger.ts';
import {
  insertRows,
  lockCustomers,
  markFailed,
  markSent,
  markUnknown,
  noteUnknown,
  readFacts,
  releaseRows,
} from './ledger.ts';
import type { SmsOutcome, SmsProvider } from './provider.ts';
import { loadRecipients } from './render.ts';

export interface SendDeps {
  pool: pg.Pool;
  provider: SmsProvider;
  now: () => Date;
  batchSize?: number;
}

type SmsCall = NodeCall<NodeParams<'action.sms'>>;

/**
 * Sends one SMS node to the treatment arm of a cohort, exactly once per message key.
 *
 * Per batch: (1) in one transaction, read each member's ledger row and guards, then insert a
 * `pending` row per message to send and a `skipped` row (with its reason) per member not to
 * contact; (2) call the provider with the rows this attempt created; (3) complete each row.
 * Deferrals (journey paused or stopped, quiet hours) write nothing: the members are counted under
 * `skipped.paused|stopped|quiet_hours` and a later call sends them.
 *
 * Rows a crashed attempt left `pending` are settled by the provider's capability: an idempotent
 * provider gets them again (it deduplicates by key); one with `lookup` is asked; otherwise they
 * become `unknown` (counted as `skipped.unknown_outcome`) and are never re-sent by the engine:
 * a delivery receipt (matched by provider id or OutId = message key) settles them later.
 */
export async function sendSms(deps: SendDeps, call: SmsCall): Promise<ActionResult> {
  const { pool } = deps;
  const params = call.params;
  const arms = await armCounts(pool, call.ref);
  const tally = new ResultTally();
  const marketing = params.smsClass === 'marketing';
  const cap = marketing && call.settings.countsTowardFrequencyCap ? await loadCap(pool) : null;
  const prefix = keyPrefix(call);
  let processed = 0;

  for await (const ids of treatmentPages(pool, call.ref, deps.batchSize ?? DEFAULT_BATCH_SIZE)) {
    heartbeat({ processed });
    const state = await currentState(pool, call.ref.runId);
    const at = effectiveNow(call.now, deps.now);
    const deferral = sendDeferral(state, at, marketing, call.settings);
    if (deferral) {
      tally.skip(deferral, arms.treatment - processed);
      return tally.result(arms, true);
    }
    await sendBatch(deps, call, { ids, prefix, at: new Date(at), cap, tally });
    processed += ids.length;
  }
  return tally.result(arms, true);
}

async function sendBatch(
  deps: SendDeps,
  call: SmsCall,
  batch: { ids: number[]; prefix: string; at: Date; cap: { count: number; days: number } | null; tally: ResultTally },
): Promise<void> {
  const { pool, provider } = deps;
  const { tally, at } = batch;
  const params = call.params;
  const ctx: RowContext = {
    runId: call.ref.runId,
    nodeId: call.nodeId,
    cycle: innermostCycle(call.cycles),
    cyclePath: cyclePath(call.cycles),
    shard: call.ref.shard,
    triggerKey: call.triggerKey ?? null,
    smsClass: params.smsClass,
    unitPrice: params.unitPrice,
    countsTowardCap: call.settings.countsTowardFrequencyCap,
    at,
  };

  // (1) Reserve: decisions and ledger rows in one transaction, under per-customer locks when capped.
  const { outgoing, leftovers } = await inTransaction(pool, async (client) => {
    if (batch.cap) await lockCustomers(client, batch.ids);
    const capFrom = batch.cap ? new Date(at.getTime() - batch.cap.days * 86_400_000) : null;
    const facts = await readFacts(client, { ids: batch.ids, prefix: batch.prefix, at, capFrom });
    const fresh = facts.filter((f) => f.existing === null && f.known);
    const recipients = await loadRecipients(client, {
      customerIds: fresh.map((f) => f.customerId),
      runId: call.ref.runId,
      triggerKey: call.triggerKey,
      signature: params.envelope.signature,
      ...(call.settings.sms.link === undefined ? {} : { link: call.settings.sms.link }),
      timeZone: call.settings.timeZone,
      parts: params.parts,
    });
    const rows: NewRow[] = [];
    const leftovers: MemberFacts[] = [];
    for (const f of facts) {
      if (f.existing) {
        countExisting(f, tally, leftovers);
        continue;
      }
      rows.push(decide(f, batch, call, recipients.get(f.customerId)?.values));
    }
    const created = await insertRows(client, ctx, rows);
    const outgoing: Outgoing[] = [];
    for (const r of rows) {
      const id = created.get(r.key);
      if (id === undefined)
        tally.alreadyDone += 1; // a concurrent attempt owns it
      else if (r.status === 'skipped') tally.skip(r.skipReason as string);
      else outgoing.push(outgoingOf(id, r, params.smsClass, params.unitPrice));
    }
    return { outgoing, leftovers };
  });

  // Settle what an earlier attempt left pending (see sendSms).
  outgoing.push(...(await settleLeftovers(deps, leftovers, batch.prefix, params, tally, at)));

  // (2) + (3) Send and complete.
  if (outgoing.length === 0) return;
  heartbeat({ sending: outgoing.length });
  const outcomes = await provider.send(outgoing);
  await completeBatch(deps, outgoing, outcomes, tally, at);
}

function countExisting(f: MemberFacts, tally: ResultTally, leftovers: MemberFacts[]): void {
  const row = f.existing;
  if (!row) return;
  switch (row.status) {
    case 'pending':
    case 'sending':
      leftovers.push(f);
      return;
    case 'skipped':
      tally.skip(row.skipReason ?? 'skipped');
      return;
    case 'failed':
      tally.skip('provider_rejected');
      return;
    case 'unknown':
      tally.skip('unknown_outcome');
      return;
    default:
      tally.alreadyDone += 1; // sent, delivered, undelivered
  }
}

function decide(
  f: MemberFacts,
  batch: { prefix: string; cap: { count: number; days: number } | null },
  call: SmsCall,
  values: Record<string, string> | undefined,
): NewRow {
  const key = memberKey(batch.prefix, f.customerId);
  const skip = (reason: string, body: string | null = null): NewRow => ({
    key,
    customerId: f.customerId,
    recipient: f.phone,
    body,
    status: 'skipped',
    skipReason: reason,
    segments: null,
    cost: null,
  });
  const marketing = call.params.smsClass === 'marketing';
  if (!f.known || values === undefined) return skip('unknown_customer');
  if (!f.phone) return skip('no_phone');
  // Opted-out numbers never get marketing again; notifications (shipping, payment) still go.
  if (marketing && f.optedOut) return skip('opted_out');
  if (f.suppressed) return skip('suppressed');
  if (batch.cap && f.recentMarketing >= batch.cap.count) return skip('frequency_cap');
  const rendered = renderTemplate(call.params.parts, values);
  if (rendered.missing.length > 0) return skip('missing_variable');
  const body = composeSms(rendered.text, call.params.envelope);
  const count = countSms(body, call.params.unitPrice);
  if (count.tooLong) return skip('too_long', body);
  return {
    key,
    customerId: f.customerId,
    recipient: f.phone,
    body,
    status: 'pending',
    skipReason: null,
    segments: count.segments,
    cost: count.cost,
  };
}

function outgoingOf(
  id: number,
  r: { key: string; customerId: number; recipient: string | null; body: string | null; segments: number | null },
  smsClass: 'marketing' | 'notification',
  unitPrice: number,
): Outgoing {
  const segments = r.segments ?? 0;
  return {
    id,
    key: r.key,
    customerId: r.customerId,
    to: r.recipient ?? '',
    body: r.body ?? '',
    smsClass,
    segments,
    cost: segments * unitPrice,
  };
}

async function settleLeftovers(
  deps: SendDeps,
  leftovers: MemberFacts[],
  prefix: string,
  params: { smsClass: 'marketing' | 'notification'; unitPrice: number },
  tally: ResultTally,
  at: Date,
): Promise<Outgoing[]> {
  if (leftovers.length === 0) return [];
  const rows = leftovers.map((f) => {
    const e = f.existing as NonNullable<MemberFacts['existing']>;
    const key = memberKey(prefix, f.customerId);
    return outgoingOf(
      e.id,
      { key, customerId: f.customerId, recipient: e.recipient, body: e.body, segments: e.segments },
      params.smsClass,
      params.unitPrice,
    );
  });
  if (deps.provider.idempotent) return rows;
  if (deps.provider.lookup) {
    const found = await deps.provider.lookup(rows.map((r) => r.key));
    const sent = rows.flatMap((r) => {
      const l = found.get(r.key);
      return l?.found ? [{ id: r.id, providerMessageId: l.providerMessageId }] : [];
    });
    // Found at the provider: it went out in the earlier attempt.
    await markSent(deps.pool, deps.provider.name, at, sent);
    tally.alreadyDone += sent.length;
    const sentIds = new Set(sent.map((s) => s.id));
    return rows.filter((r) => !sentIds.has(r.id));
  }
  await markUnknown(
    deps.pool,
    rows.map((r) => r.id),
  );
  tally.skip('unknown_outcome', rows.length);
  return [];
}

async function completeBatch(
  deps: SendDeps,
  outgoing: Outgoing[],
  outcomes: SmsOutcome[],
  tally: ResultTally,
  at: Date,
): Promise<void> {
  const name = deps.provider.name;
  const sent: { id: number; providerMessageId: string }[] = [];
  const rejected: { id: number; code: string; message: string }[] = [];
  const released: number[] = [];
  const notSent: Extract<SmsOutcome, { outcome: 'not_sent' }>[] = [];
  const unknown: { id: number; code: string; message: string }[] = [];
  const unknownOutcomes: Extract<SmsOutcome, { outcome: 'unknown' }>[] = [];
  const byId = new Map(outgoing.map((o) => [o.id, o]));
  outgoing.forEach((o, i) => {
    const r = outcomes[i] ?? {
      outcome: 'unknown',
      code: 'no_outcome',
      message: 'the provider returned fewer outcomes than messages',
    };
    if (r.outcome === 'sent') sent.push({ id: o.id, providerMessageId: r.providerMessageId });
    else if (r.outcome === 'rejected') rejected.push({ id: o.id, code: r.code, message: r.message });
    else if (r.outcome === 'not_sent') {
      released.push(o.id);
      notSent.push(r);
    } else {
      unknown.push({ id: o.id, code: r.code, message: r.message });
      unknownOutcomes.push(r);
    }
  });
  const done = await markSent(deps.pool, name, at, sent);
  tally.done += done;
  tally.alreadyDone += sent.length - done;
  for (const s of sent) {
    const o = byId.get(s.id) as Outgoing;
    tally.segments += o.segments;
    tally.cost += o.cost;
  }
  await markFailed(deps.pool, name, rejected);
  tally.skip('provider_rejected', rejected.length);
  await releaseRows(deps.pool, released);
  await noteUnknown(deps.pool, name, unknown);
  const failure = batchFailure(notSent, unknownOutcomes);
  if (failure) throw failure;
}

async function loadCap(pool: pg.Pool): Promise<{ count: number; days: number } | null> {
  const { rows } = await pool.query<{ marketing_cap: number; marketing_cap_days: number }>(
    'SELECT marketing_cap, marketing_cap_days FROM shop_settings LIMIT 1',
  );
  return rows.length === 0 ? null : { count: rows[0].marketing_cap, days: rows[0].marketing_cap_days };
}
