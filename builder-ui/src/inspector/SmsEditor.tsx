import { useRef } from 'react';
import type { JourneySettingsInput, SmsClass } from '@huitou/schemas';
import { SMS_LIMITS, SmsSettings, previewSms, templateVariables } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';

const LOCK_SCREEN_CHARS = 20;
const variableNames = Object.keys(templateVariables) as Array<keyof typeof templateVariables>;

/** The journey's SMS envelope, with the schema's defaults where the marketer has not set them yet. */
export function smsEnvelopeOf(settings: JourneySettingsInput, smsClass: SmsClass) {
  const parsed = SmsSettings.safeParse(settings.sms ?? {});
  const sms = parsed.success ? parsed.data : SmsSettings.parse({});
  return {
    envelope: { signature: sms.signature ?? '', optOutSuffix: sms.optOutSuffix, smsClass },
    unitPrice: sms.unitPrice,
  };
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
  const preview = previewSms(source, envelope, unitPrice);

  const insert = (name: string) => {
    const el = area.current;
    const token = `{${name}}`;
    const start = el?.selectionStart ?? source.length;
    const end = el?.selectionEnd ?? source.length;
    onChange(source.slice(0, start) + token + source.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };

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
      <div className="sms-vars" aria-label={t('smsVariables')}>
        <span className="sms-vars-title">{t('smsVariables')}</span>
        {variableNames.map((name) => (
          <button
            key={name}
            type="button"
            className="chip"
            disabled={disabled}
            onClick={() => insert(name)}
            title={`{${name}}`}
          >
            {l(templateVariables[name].label)}
          </button>
        ))}
      </div>
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
