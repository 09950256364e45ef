// The e-mail node's activity, written as an engineer's custom channel is (docs/adding-a-node-type.md):
// defineActivity, the shared keys, treatment walk and action_ledger, plus a ledger of its own.
import { z } from 'zod';
import { JourneySettings, renderTemplate } from '@huitou/schemas';
import type pg from 'pg';
import type { LedgerContext } from '../../side-effects/action-ledger.ts';
import { recordActions } from '../../side-effects/action-ledger.ts';
import { currentState, effectiveNow, heartbeat, sendDeferral } from '../../side-effects/guards.ts';
import { cyclePath, digest, keyPrefix, memberKey } from '../../side-effects/keys.ts';
import { DEFAULT_BATCH_SIZE, armCounts, inTransaction, treatmentPages } from '../../side-effects/members.ts';
import { ResultTally } from '../../side-effects/result.ts';
import { lockCustomers } from '../../side-effects/sms/ledger.ts';
import { loadRecipients } from '../../side-effects/sms/render.ts';
import type { CustomActivityContext } from '../define-activity.ts';
import { defineActivity } from '../define-activity.ts';
import { actionResultOutput, nodeCallInput } from '../schemas.ts';
import type { EmailFacts, EmailRowContext, NewEmail } from './ledger.ts';
import { insertEmails, loadEmailCap, markSending, readEmailFacts, releaseEmail, settleEmail } from './ledger.ts';
import { localEmailChannel } from './local-sink.ts';
import type { EmailChannel } from './mailer.ts';
import { senderDomain } from './mailer.ts';
import { unsubscribeKey, unsubscribeToken, unsubscribeUrl } from './unsubscribe.ts';

const templatePart = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  z.object({ kind: z.literal('var'), name: z.string(), offset: z.int() }),
]);

/** The params action.email lowers to (schemas/src/nodes/email.ts). */
const emailParams = z.object({
  name: z.string().nullable(),
  emailClass: z.enum(['marketing', 'transactional']),
  subject: z.array(templatePart).min(1),
  body: z.array(templatePart).min(1),
  signature: z.string(),
});

const emailCall = nodeCallInput(emailParams).extend({ settings: JourneySettings });
type EmailCall = z.output<typeof emailCall>;

/** A plausible address: anything else is skipped as `invalid_email` rather than bounced. */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

/** A claimed message on its way to the transport. */
interface Outgoing {
  id: number;
  key: string;
  customerId: number;
  to: string;
  subject: string;
  body: string;
  messageId: string;
}

/**
 * Sends one e-mail node to the treatment arm of a cohort, at most one message per (run, shard or
 * trigger, node, cycle path, customer) and, unless a worker dies inside an SMTP conversation,
 * exactly one. Per page: (1) in one transaction, read each member's ledger row and guards and
 * claim a `pending` row per message to send (a `skipped` row with its reason per member not to
 * contact); (2) per message: mark it `sending`, hand it to SMTP, settle it `sent`, `failed` or
 * `unknown`. A retry finds `sent` rows (already done), sends `pending` ones (never offered), and
 * turns `sending` ones (offered when the worker died: the server may have accepted them) into
 * `unknown`, never offering them again. Marketing e-mails wait out quiet hours (a deferral the
 * interpreter honours) and respect the shop's marketing cap counted over e-mails.
 */
export const sendEmail = defineActivity({
  name: 'sendEmail',
  input: emailCall,
  output: actionResultOutput,
  async run(call, context: CustomActivityContext) {
    const { pool } = context;
    const channel = context.email ?? localEmailChannel(pool);
    const arms = await armCounts(pool, call.ref);
    const tally = new ResultTally();
    const marketing = call.params.emailClass === 'marketing';
    const cap = marketing && call.settings.countsTowardFrequencyCap ? await loadEmailCap(pool) : null;
    const prefix = keyPrefix(call);
    const ledger: LedgerContext = {
      kind: 'custom',
      runId: call.ref.runId,
      nodeId: call.nodeId,
      cyclePath: cyclePath(call.cycles),
      prefix,
    };
    const page = { call, channel, pool, ledger, prefix, cap, tally, key: await unsubscribeKey(pool) };
    let processed = 0;
    for await (const ids of treatmentPages(pool, call.ref, DEFAULT_BATCH_SIZE)) {
      heartbeat({ processed });
      const state = await currentState(pool, call.ref.runId);
      const at = effectiveNow(call.now, context.now);
      const deferral = sendDeferral(state, at, marketing, call.settings);
      if (deferral) {
        tally.skip(deferral, arms.treatment - processed);
        return tally.result(arms);
      }
      const outgoing = await claim({ ...page, ids, at: new Date(at) });
      await deliver({ ...page, at: new Date(at) }, outgoing);
      processed += ids.length;
    }
    return tally.result(arms);
  },
});

interface Page {
  call: EmailCall;
  channel: EmailChannel;
  pool: pg.Pool;
  ledger: LedgerContext;
  prefix: string;
  cap: { count: number; days: number } | null;
  tally: ResultTally;
  /** The unsubscribe links' signing key. */
  key: string;
  at: Date;
}

/** (1) Decisions and claims in one transaction, under the per-customer locks SMS also take when capped. */
async function claim(page: Page & { ids: number[] }): Promise<Outgoing[]> {
  const { call, tally, at } = page;
  const ctx: EmailRowContext = {
    runId: call.ref.runId,
    nodeId: call.nodeId,
    cyclePath: page.ledger.cyclePath,
    emailClass: call.params.emailClass,
    countsTowardCap: call.settings.countsTowardFrequencyCap,
    at,
  };
  const { outgoing, unknown } = await inTransaction(page.pool, async (client) => {
    if (page.cap) await lockCustomers(client, page.ids);
    const capFrom = page.cap ? new Date(at.getTime() - page.cap.days * 86_400_000) : null;
    const facts = await readEmailFacts(client, { ids: page.ids, prefix: page.prefix, at, capFrom });
    const fresh = facts.filter((f) => f.existing === null && f.known);
    const recipients = await loadRecipients(client, {
      customerIds: fresh.map((f) => f.customerId),
      runId: call.ref.runId,
      ...(call.triggerKey === undefined ? {} : { triggerKey: call.triggerKey }),
      signature: call.params.signature,
      ...(call.settings.sms.link === undefined ? {} : { link: call.settings.sms.link }),
      timeZone: call.settings.timeZone,
      parts: [...call.params.subject, ...call.params.body],
    });
    const outgoing: Outgoing[] = [];
    const unknown: Outgoing[] = [];
    const rows: NewEmail[] = [];
    for (const f of facts) {
      if (f.existing) countExisting(f, tally, outgoing, unknown, page.prefix);
      else rows.push(decide(f, page, recipients.get(f.customerId)?.values));
    }
    const created = await insertEmails(client, ctx, rows);
    const skipped: { customerId: number; status: 'skipped'; skipReason: string; detail: unknown }[] = [];
    for (const r of rows) {
      const id = created.get(r.key);
      if (id === undefined)
        tally.alreadyDone += 1; // a concurrent attempt owns it
      else if (r.status === 'skipped') {
        tally.skip(r.skipReason as string);
        skipped.push({
          customerId: r.customerId,
          status: 'skipped',
          skipReason: r.skipReason as string,
          detail: { channel: 'email' },
        });
      } else outgoing.push(outgoingOf(id, r));
    }
    await recordActions(client, page.ledger, skipped);
    return { outgoing, unknown };
  });
  // Offered by an attempt that died before hearing back: the server may have them. Never again.
  for (const u of unknown) {
    const settled = await settleEmail(page.pool, page.ledger, u, {
      status: 'unknown',
      response: 'offered by an attempt that ended before the SMTP answer',
      at,
      marketing: false,
    });
    if (settled) tally.skip('unknown_outcome');
    else tally.alreadyDone += 1;
  }
  return outgoing;
}

/** An earlier attempt's row: done, skipped, to send (pending) or to give up on (sending). */
function countExisting(
  f: EmailFacts,
  tally: ResultTally,
  outgoing: Outgoing[],
  unknown: Outgoing[],
  prefix: string,
): void {
  const e = f.existing;
  if (!e) return;
  const row = (): Outgoing => ({
    id: e.id,
    key: memberKey(prefix, f.customerId),
    customerId: f.customerId,
    to: e.recipient ?? '',
    subject: e.subject ?? '',
    body: e.body ?? '',
    messageId: e.messageId,
  });
  switch (e.status) {
    case 'pending':
      outgoing.push(row());
      return;
    case 'sending':
      unknown.push(row());
      return;
    case 'skipped':
      tally.skip(e.skipReason ?? 'skipped');
      return;
    case 'failed':
      tally.skip('smtp_rejected');
      return;
    case 'unknown':
      tally.skip('unknown_outcome');
      return;
    default:
      tally.alreadyDone += 1; // sent
  }
}

function decide(f: EmailFacts, page: Page, values: Record<string, string> | undefined): NewEmail {
  const key = memberKey(page.prefix, f.customerId);
  const messageId = `<${digest(key, 32)}@${senderDomain(page.channel.from)}>`;
  const skip = (reason: string): NewEmail => ({
    key,
    customerId: f.customerId,
    recipient: f.email,
    subject: null,
    body: null,
    messageId,
    status: 'skipped',
    skipReason: reason,
  });
  const { params } = page.call;
  const marketing = params.emailClass === 'marketing';
  if (!f.known || values === undefined) return skip('unknown_customer');
  if (!f.email) return skip('no_email');
  if (!ADDRESS.test(f.email)) return skip('invalid_email');
  // Opted-out addresses never get marketing again; transactional mail (orders, shipping) still goes.
  if (marketing && f.optedOut) return skip('opted_out');
  if (f.suppressed) return skip('suppressed');
  if (page.cap && f.recentMarketing >= page.cap.count) return skip('frequency_cap');
  const subject = renderTemplate(params.subject, values);
  const body = renderTemplate(params.body, values);
  if (subject.missing.length > 0 || body.missing.length > 0) return skip('missing_variable');
  const link = unsubscribeLink(page, f.customerId, f.email);
  return {
    key,
    customerId: f.customerId,
    recipient: f.email,
    // Header values are one line.
    subject: subject.text.replace(/\s+/g, ' ').trim(),
    body: link ? `${body.text}\n\n--\n退订 / Unsubscribe: ${link}\n` : body.text,
    messageId,
    status: 'pending',
    skipReason: null,
  };
}

function outgoingOf(id: number, r: NewEmail): Outgoing {
  return {
    id,
    key: r.key,
    customerId: r.customerId,
    to: r.recipient ?? '',
    subject: r.subject ?? '',
    body: r.body ?? '',
    messageId: r.messageId,
  };
}

/** The unsubscribe link of a marketing e-mail (signed, so the same on every attempt); null for transactional ones. */
function unsubscribeLink(page: Page, customerId: number, address: string): string | null {
  if (page.call.params.emailClass !== 'marketing') return null;
  return unsubscribeUrl(page.channel.publicUrl, unsubscribeToken(page.key, customerId, address));
}

/** (2) One message at a time: sending -> SMTP -> settled, so a kill leaves at most one message in doubt. */
async function deliver(page: Page, outgoing: Outgoing[]): Promise<void> {
  const { tally, channel, at } = page;
  const marketing = page.call.params.emailClass === 'marketing';
  for (const o of outgoing) {
    heartbeat({ sending: o.customerId });
    if (!(await markSending(page.pool, o.id))) {
      tally.alreadyDone += 1;
      continue;
    }
    const link = unsubscribeLink(page, o.customerId, o.to);
    const outcome = await channel.mailer.send({
      key: o.key,
      messageId: o.messageId,
      from: channel.from,
      to: o.to,
      subject: o.subject,
      text: o.body,
      headers: link ? { 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {},
    });
    if (outcome.outcome === 'not_sent') {
      await releaseEmail(page.pool, o.id, outcome.message.slice(0, 500));
      // Retried by Temporal with backoff; what this attempt sent stays sent.
      throw new Error(`e-mail not sent through ${channel.mailer.name}: ${outcome.message}`);
    }
    const status = outcome.outcome === 'sent' ? 'sent' : outcome.outcome === 'rejected' ? 'failed' : 'unknown';
    const response = outcome.outcome === 'sent' ? outcome.response : outcome.message;
    const settled = await settleEmail(page.pool, page.ledger, o, { status, response, at, marketing });
    if (!settled) tally.alreadyDone += 1;
    else if (status === 'sent') tally.done += 1;
    else tally.skip(status === 'failed' ? 'smtp_rejected' : 'unknown_outcome');
  }
}
