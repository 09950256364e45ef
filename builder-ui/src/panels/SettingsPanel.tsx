import { useEffect, useState } from 'react';
import type { GraphError, JourneySettingsInput } from '@huitou/schemas';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import { getTestPhones, putTestPhones } from '../simulate-api.ts';
import { FieldRow } from '../inspector/FieldRow.tsx';
import { NumberInput, SelectInput, SwitchInput, TextInput } from '../inspector/basic-widgets.tsx';

type Settings = JourneySettingsInput;
const DEFAULT_QUIET = { from: '21:00', to: '08:00' };

/** Journey-wide settings: holdout, quiet hours, frequency cap, SMS signature and price, goal. */
export function SettingsPanel(props: {
  settings: Settings;
  errors: readonly GraphError[];
  readOnly: boolean;
  onChange: (update: (s: Settings) => Settings, key: string) => void;
}) {
  const { t, l } = useI18n();
  const { settings, readOnly } = props;
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) =>
    props.onChange(
      (s) => {
        const next = { ...s };
        if (value === undefined) delete next[key];
        else next[key] = value;
        return next;
      },
      `settings.${String(key)}`,
    );
  const setSms = (key: 'signature' | 'unitPrice' | 'optOutSuffix' | 'link', value: string | number | undefined) =>
    props.onChange((s) => {
      const sms: Record<string, unknown> = { ...(s.sms ?? {}) };
      if (value === undefined) delete sms[key];
      else sms[key] = value;
      return { ...s, sms };
    }, `settings.sms.${key}`);
  const errorAt = (...path: string[]) =>
    props.errors
      .filter((e) => e.path[0] === 'settings' && path.every((p, i) => e.path[i + 1] === p))
      .map((e) => l(e.message))
      .join('；') || undefined;
  const signatureMissing = props.errors.some((e) => e.code === 'SMS_SIGNATURE_MISSING');
  // Quiet hours default to 21:00-08:00; null switches them off.
  const quiet = settings.quietHours === undefined ? DEFAULT_QUIET : settings.quietHours;

  return (
    <div className="settings" data-testid="settings-panel">
      <FieldRow label={t('holdout')} htmlFor="s-holdout" help={t('holdoutHelp')} error={errorAt('holdoutPercent')}>
        <NumberInput
          id="s-holdout"
          disabled={readOnly}
          value={settings.holdoutPercent ?? 10}
          unit="%"
          onChange={(v) => set('holdoutPercent', v ?? undefined)}
        />
      </FieldRow>
      <FieldRow label={t('quietHours')} htmlFor="s-quiet" help={t('quietHoursHelp')} error={errorAt('quietHours')}>
        <div className="inline">
          <SwitchInput
            id="s-quiet"
            disabled={readOnly}
            value={quiet !== null}
            onChange={(on) => set('quietHours', on ? DEFAULT_QUIET : null)}
          />
          {quiet !== null && (
            <>
              <TextInput
                id="s-quiet-from"
                type="time"
                disabled={readOnly}
                value={quiet.from}
                onChange={(v) => set('quietHours', { ...quiet, from: v ?? quiet.from })}
              />
              <span>–</span>
              <TextInput
                id="s-quiet-to"
                type="time"
                disabled={readOnly}
                value={quiet.to}
                onChange={(v) => set('quietHours', { ...quiet, to: v ?? quiet.to })}
              />
            </>
          )}
        </div>
      </FieldRow>
      <FieldRow label={t('frequencyCap')} htmlFor="s-cap">
        <SwitchInput
          id="s-cap"
          disabled={readOnly}
          value={settings.countsTowardFrequencyCap ?? true}
          onChange={(v) => set('countsTowardFrequencyCap', v)}
        />
      </FieldRow>
      <FieldRow
        label={t('signature')}
        htmlFor="s-signature"
        help={t('signatureHelp')}
        error={
          errorAt('sms', 'signature') ??
          (signatureMissing ? l(props.errors.find((e) => e.code === 'SMS_SIGNATURE_MISSING')!.message) : undefined)
        }
        testId="settings-signature"
      >
        <TextInput
          id="s-signature"
          disabled={readOnly}
          value={settings.sms?.signature}
          onChange={(v) => setSms('signature', v)}
        />
      </FieldRow>
      <FieldRow label={t('shopLink')} htmlFor="s-link" help={t('shopLinkHelp')} error={errorAt('sms', 'link')}>
        <TextInput id="s-link" disabled={readOnly} value={settings.sms?.link} onChange={(v) => setSms('link', v)} />
      </FieldRow>
      <FieldRow label={t('unitPrice')} htmlFor="s-price" error={errorAt('sms', 'unitPrice')}>
        <NumberInput
          id="s-price"
          disabled={readOnly}
          value={settings.sms?.unitPrice ?? 0.045}
          unit={t('yuan')}
          onChange={(v) => setSms('unitPrice', v ?? undefined)}
        />
      </FieldRow>
      <FieldRow label={t('optOutSuffix')} htmlFor="s-optout" error={errorAt('sms', 'optOutSuffix')}>
        <TextInput
          id="s-optout"
          disabled={readOnly}
          value={settings.sms?.optOutSuffix ?? '回T退订'}
          onChange={(v) => setSms('optOutSuffix', v)}
        />
      </FieldRow>
      <FieldRow label={t('goal')} htmlFor="s-goal">
        <SelectInput
          id="s-goal"
          disabled={readOnly}
          value={settings.goal?.kind ?? 'purchase'}
          values={['purchase', 'trigger_order_paid']}
          labels={{
            purchase: { zh: t('goalPurchase'), en: t('goalPurchase') },
            trigger_order_paid: { zh: t('goalTriggerPaid'), en: t('goalTriggerPaid') },
          }}
          onChange={(v) => set('goal', { kind: (v ?? 'purchase') as 'purchase' | 'trigger_order_paid' })}
        />
      </FieldRow>
      <FieldRow label={t('timeZone')} htmlFor="s-tz" error={errorAt('timeZone')}>
        <TextInput
          id="s-tz"
          disabled={readOnly}
          value={settings.timeZone ?? 'Asia/Shanghai'}
          onChange={(v) => set('timeZone', v)}
        />
      </FieldRow>
      <TestPhonesField readOnly={readOnly} />
    </div>
  );
}

/** The colleagues' numbers test sends go to: a shop setting, saved on its own (PUT /api/test-phones). */
function TestPhonesField({ readOnly }: { readOnly: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [text, setText] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // A role that may not edit journeys cannot read them either: the field stays hidden.
    getTestPhones().then(
      (phones) => setText(phones.join('\n')),
      () => setText(null),
    );
  }, []);
  if (text === null) return null;
  const save = async () => {
    setNote(null);
    setError(null);
    try {
      const phones = await putTestPhones(
        text
          .split(/[\n,，;；]+/)
          .map((n) => n.trim())
          .filter(Boolean),
      );
      setText(phones.join('\n'));
      setNote(t('testPhonesSaved', { n: phones.length }));
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };
  return (
    <FieldRow label={t('testPhones')} htmlFor="s-test-phones" help={t('testPhonesHelp')} error={error ?? undefined}>
      <textarea
        id="s-test-phones"
        className="input"
        rows={3}
        disabled={readOnly}
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid="settings-test-phones"
      />
      {!readOnly && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void save()}
          data-testid="settings-test-phones-save"
        >
          {t('testPhonesSave')}
        </button>
      )}
      {note && (
        <span className="field-help" data-testid="settings-test-phones-note">
          {note}
        </span>
      )}
    </FieldRow>
  );
}
