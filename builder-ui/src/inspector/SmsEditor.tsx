import { useContext, useRef } from 'react';
import type { JourneySettingsInput, SmsClass } from '@huitou/schemas';
import { SMS_LIMITS, SmsSettings, durationMs, previewSms, templateVariables } from '@huitou/schemas';
import type { EditedGraph } from '../canvas/contexts.ts';
import { EditedGraphContext } from '../canvas/contexts.ts';
import { useI18n } from '../i18n.ts';
import { nodeTitleOf } from '../journey/describe.ts';
import type { WidgetProps } from './basic-widgets.tsx';
import { VariableChips, insertVariable } from './TemplateText.tsx';

const LOCK_SCREEN_CHARS = 20;

/** The journey's SMS envelope, with the schema's defaults where the marketer has not set them yet. */
export function smsEnvelopeOf(settings: JourneySettingsInput, smsClass: SmsClass) {
  const parsed = SmsSettings.safeParse(settings.sms ?? {});
  const sms = parsed.success ? parsed.data : SmsSettings.parse({});
  return {
    envelope: { signature: sms.signature ?? '', optOutSuffix: sms.optOutSuffix, smsClass },
    unitPrice: sms.unitPrice,
  };
}

/** The nearest coupon card upstream of `nodeId` (walking back along the edges), if any. */
export function upstreamCoupon(graph: EditedGraph | null) {
  if (!graph?.nodeId) return null;
  const preds = new Map<string, string[]>();
  for (const e of graph.edges) preds.set(e.target, [...(preds.get(e.target) ?? []), e.source]);
  const seen = new Set([graph.nodeId]);
  for (let level = preds.get(graph.nodeId) ?? []; level.length > 0;) {
    const next: string[] = [];
    for (const id of level) {
      if (seen.has(id)) continue;
      seen.add(id);
      const node = graph.nodes.find((n) => n.id === id);
      if (node?.data.type === 'action.coupon') return node;
      next.push(...(preds.get(id) ?? []));
    }
    level = next;
  }
  return null;
}

/** "20.00" -> "20": amounts as the send path renders them. */
const yuan = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? String(Number(n.toFixed(2))) : null);

/** The coupon values the real send would fill from that card: face value, threshold, expiry (from today). */
function couponValues(node: NonNullable<ReturnType<typeof upstreamCoupon>>) {
  const c = node.data.config as { amount?: unknown; threshold?: unknown; validity?: { amount: number; unit: 'days' } };
  const values: Record<string, string> = {};
  const amount = yuan(c.amount);
  const threshold = yuan(c.threshold ?? 0);
  if (amount) values['coupon.amount'] = values['coupon.value'] = amount;
  values['coupon.code'] = templateVariables['coupon.code'].sample;
  if (threshold) values['coupon.threshold'] = threshold;
  let days: number | null = null;
  if (c.validity && typeof c.validity.amount === 'number') {
    const ms = durationMs(c.validity);
    days = Math.round((ms / 86_400_000) * 10) / 10;
    const until = new Date(Date.now() + ms);
    values['coupon.expires'] = `${until.getMonth() + 1}月${until.getDate()}日`;
  }
  return { values, amount, threshold, days };
}

/**
 * SMS copy with variables, a phone-style preview rendered with sample values, and a live counter of
 * what gets billed: signature + body (+ opt-out suffix for marketing), segments and cost.
 */
export function SmsEditor({
  id,
  value,
  onChange,
  disabled,
  smsClass,
  settings,
}: WidgetProps<string> & { smsClass: SmsClass; settings: JourneySettingsInput }) {
  const { t, l } = useI18n();
  const area = useRef<HTMLTextAreaElement>(null);
  const source = value ?? '';
  const { envelope, unitPrice } = smsEnvelopeOf(settings, smsClass);
  const coupon = upstreamCoupon(useContext(EditedGraphContext));
  const known = coupon ? couponValues(coupon) : null;
  const usesCoupon = /\{coupon\./.test(source);
  const preview = previewSms(source, envelope, unitPrice, known?.values);

  const insert = (name: string) => insertVariable(area, source, onChange, name);

  return (
    <div className="sms-editor">
      <textarea
        ref={area}
        id={id}
        className="input sms-text"
        rows={5}
        disabled={disabled}
        value={source}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
        data-testid="sms-template"
      />
      <VariableChips disabled={disabled} onPick={insert} />
      {preview.ok ? (
        <>
          <div
            className={`sms-counter ${preview.count.tooLong ? 'is-over' : ''}`}
            data-testid="sms-counter"
            data-units={preview.count.units}
            data-segments={preview.count.segments}
          >
            <strong>{t('smsChars', { units: preview.count.units })}</strong>
            <span>·</span>
            <strong>{t('smsSegments', { segments: preview.count.segments })}</strong>
            <span>·</span>
            <span>{t('smsCost', { cost: preview.count.cost.toFixed(3) })}</span>
            <span className="sms-counter-sub">
              {t('smsRemaining', { remaining: preview.count.remaining })} ·{' '}
              {t('smsEncoding', { encoding: preview.count.encoding })} ·{' '}
              {t('smsIncludes', { suffix: smsClass === 'marketing' ? t('smsIncludesSuffix') : '' })}
            </span>
            {preview.count.tooLong ? (
              <span className="field-error">
                {t('smsTooLong', { max: SMS_LIMITS[preview.count.encoding].maxUnits })}
              </span>
            ) : null}
          </div>
          <PhonePreview text={preview.text} signature={envelope.signature} />
          {usesCoupon && (
            <div className="field-help" data-testid="sms-preview-coupon" data-coupon-node={coupon?.id ?? ''}>
              {coupon && known
                ? t('smsPreviewCoupon', {
                    node: nodeTitleOf(coupon.data, l),
                    value: known.amount ?? '?',
                    threshold: known.threshold ?? '0',
                    days: known.days ?? '?',
                  })
                : t('smsPreviewSampleCoupon')}
            </div>
          )}
        </>
      ) : (
        <div className="field-error">{t('smsSyntax', { offset: preview.offset, reason: preview.reason })}</div>
      )}
    </div>
  );
}

function PhonePreview({ text, signature }: { text: string; signature: string }) {
  const { t } = useI18n();
  const lockScreen = Array.from(text).slice(0, LOCK_SCREEN_CHARS).join('');
  return (
    <div className="phone" aria-label={t('smsPreview')} data-testid="sms-preview">
      <div className="phone-notch" />
      <div className="phone-lock" title={t('smsLockScreen')}>
        {/* A phone shows the provider's 106 number as the sender; the signature opens the text itself. */}
        <div className="phone-lock-from">{signature ? t('smsSender') : t('smsNoSignature')}</div>
        <div className="phone-lock-text">
          {lockScreen}
          {Array.from(text).length > LOCK_SCREEN_CHARS ? '…' : ''}
        </div>
      </div>
      <div className="phone-bubble">{text}</div>
      <div className="phone-caption">{t('smsLockScreen')}</div>
    </div>
  );
}
