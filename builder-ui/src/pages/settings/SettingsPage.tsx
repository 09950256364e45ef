import { useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import type { UpdateShopSettingsRequest } from '@huitou/schemas/http';
import type { ShopSettings } from '../../admin-api.ts';
import { getSettings, updateSettings } from '../../admin-api.ts';
import { ApiRequestError } from '../../api.ts';
import { describeError } from '../../errors.ts';
import type { MessageKey } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { PageHeader } from '../../PageHeader.tsx';
import { useSession } from '../../session.ts';
import '../admin/admin.css';
import { CategoriesSection } from './CategoriesSection.tsx';
import { CoverageSection } from './CoverageSection.tsx';
import { TimeZonePicker } from './TimeZonePicker.tsx';

/** The form as typed: numbers stay text until saved (the engine judges them, naming the field). */
interface Draft {
  capCount: string;
  capDays: string;
  coverageFloor: string;
  quietOn: boolean;
  quietFrom: string;
  quietTo: string;
  timeZone: string;
  smsSignature: string;
  attributionDays: string;
  rfmMonetary: ShopSettings['rfmMonetary'];
}

const draftOf = (s: ShopSettings): Draft => ({
  capCount: String(s.frequencyCap.count),
  capDays: String(s.frequencyCap.days),
  coverageFloor: String(s.coverageFloor),
  quietOn: s.quietHours !== null,
  quietFrom: s.quietHours?.from ?? '21:00',
  quietTo: s.quietHours?.to ?? '08:00',
  timeZone: s.timeZone,
  smsSignature: s.smsSignature ?? '',
  attributionDays: String(s.attributionDays),
  rfmMonetary: s.rfmMonetary,
});

/** Only what differs from the saved settings (the PUT changes the fields given). */
function changesOf(draft: Draft, saved: ShopSettings): UpdateShopSettingsRequest {
  const next: Required<Omit<ShopSettings, 'updatedAt'>> = {
    frequencyCap: { count: Number(draft.capCount), days: Number(draft.capDays) },
    coverageFloor: Number(draft.coverageFloor),
    quietHours: draft.quietOn ? { from: draft.quietFrom, to: draft.quietTo } : null,
    timeZone: draft.timeZone,
    smsSignature: draft.smsSignature.trim() === '' ? null : draft.smsSignature.trim(),
    attributionDays: Number(draft.attributionDays),
    rfmMonetary: draft.rfmMonetary,
  };
  return Object.fromEntries(
    Object.entries(next).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(saved[k as keyof ShopSettings])),
  );
}

type SectionId = keyof Omit<ShopSettings, 'updatedAt'> | 'categories';

/** The shop-wide settings: send policy, coverage (with its report), quiet hours, time zone, and more. */
export function SettingsPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const canEdit = session.can('settings.manage');
  const [saved, setSaved] = useState<ShopSettings | null>(null);
  const [zones, setZones] = useState<string[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<{ section: SectionId | null; text: string } | null>(null);
  const [justSaved, setJustSaved] = useState(false);

  useEffect(() => {
    getSettings().then(
      (r) => {
        setSaved(r.settings);
        setZones(r.timeZones);
        setDraft(draftOf(r.settings));
      },
      (e: unknown) => setError({ section: null, text: describeError(e, i18n) }),
    );
  }, [i18n]);

  if (!saved || !draft)
    return (
      <>
        <PageHeader title={t('navSettings')} subtitle={t('settingsSubtitle')} />
        {error && (
          <div className="error-banner" role="alert">
            {error.text}
          </div>
        )}
      </>
    );

  const changes = changesOf(draft, saved);
  const dirty = Object.keys(changes).length > 0;
  const edit = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setJustSaved(false);
  };
  const save = async () => {
    try {
      const r = await updateSettings(changes);
      setSaved(r.settings);
      setDraft(draftOf(r.settings));
      setError(null);
      setJustSaved(true);
    } catch (e) {
      const field = e instanceof ApiRequestError && e.path[0] === 'body' ? e.path[1] : undefined;
      setError({ section: typeof field === 'string' ? (field as SectionId) : null, text: describeError(e, i18n) });
    }
  };

  const section = (id: SectionId, title: MessageKey, help: MessageKey | null, body: ReactNode) => (
    <section className="admin-section" data-testid={`settings-${id}`}>
      <h2>{t(title)}</h2>
      {help && <p className="admin-help">{t(help)}</p>}
      {body}
      {error?.section === id && (
        <div className="field-error" role="alert" data-testid="settings-field-error">
          {error.text}
        </div>
      )}
    </section>
  );
  const number = (value: string, key: keyof Draft, label: string, testId: string) => (
    <input
      className="input admin-input-num"
      type="number"
      min={0}
      value={value}
      aria-label={label}
      disabled={!canEdit}
      onChange={(e) => edit({ [key]: e.target.value })}
      data-testid={testId}
    />
  );

  return (
    <>
      <PageHeader title={t('navSettings')} subtitle={canEdit ? t('settingsSubtitle') : t('settingsReadOnly')} />
      {error?.section === null && (
        <div className="error-banner" role="alert">
          {error.text}
        </div>
      )}
      {section(
        'frequencyCap',
        'settingsCapTitle',
        'settingsCapHelp',
        <div className="admin-row">
          <label>
            {t('settingsCapCount')}
            {number(draft.capCount, 'capCount', t('settingsCapCount'), 'settings-cap-count')}
          </label>
          <label>
            {t('settingsCapDays')}
            {number(draft.capDays, 'capDays', t('settingsCapDays'), 'settings-cap-days')}
          </label>
        </div>,
      )}
      {section(
        'coverageFloor',
        'settingsFloorTitle',
        'settingsFloorHelp',
        <>
          <div className="admin-row">
            <label>
              {t('settingsFloorCount')}
              {number(draft.coverageFloor, 'coverageFloor', t('settingsFloorCount'), 'settings-floor')}
            </label>
          </div>
          {session.can('segments.preview') && <CoverageSection floor={saved.coverageFloor} />}
        </>,
      )}
      {section(
        'quietHours',
        'settingsQuietTitle',
        'settingsQuietHelp',
        <div className="admin-row">
          <label>
            <input
              type="checkbox"
              checked={draft.quietOn}
              disabled={!canEdit}
              onChange={(e) => edit({ quietOn: e.target.checked })}
              data-testid="settings-quiet-on"
            />
            {t('settingsQuietOn')}
          </label>
          <label>
            {t('settingsQuietFrom')}
            <input
              className="input"
              type="time"
              value={draft.quietFrom}
              disabled={!canEdit || !draft.quietOn}
              onChange={(e) => edit({ quietFrom: e.target.value })}
              data-testid="settings-quiet-from"
            />
          </label>
          <label>
            {t('settingsQuietTo')}
            <input
              className="input"
              type="time"
              value={draft.quietTo}
              disabled={!canEdit || !draft.quietOn}
              onChange={(e) => edit({ quietTo: e.target.value })}
              data-testid="settings-quiet-to"
            />
          </label>
        </div>,
      )}
      {section(
        'timeZone',
        'settingsTimeZoneTitle',
        'settingsTimeZoneHelp',
        <TimeZonePicker
          zones={zones}
          value={draft.timeZone}
          disabled={!canEdit}
          onChange={(timeZone) => edit({ timeZone })}
        />,
      )}
      {section(
        'smsSignature',
        'settingsSignatureTitle',
        'settingsSignatureHelp',
        <input
          className="input"
          style={{ maxWidth: 240 }}
          value={draft.smsSignature}
          maxLength={20}
          placeholder="【回头小店】"
          aria-label={t('settingsSignatureTitle')}
          disabled={!canEdit}
          onChange={(e) => edit({ smsSignature: e.target.value })}
          data-testid="settings-signature"
        />,
      )}
      {section(
        'attributionDays',
        'settingsAttributionTitle',
        'settingsAttributionHelp',
        <div className="admin-row">
          {number(draft.attributionDays, 'attributionDays', t('settingsAttributionTitle'), 'settings-attribution')}
          <span>{t('settingsDays')}</span>
        </div>,
      )}
      {section(
        'rfmMonetary',
        'settingsRfmTitle',
        null,
        <select
          className="input"
          style={{ maxWidth: 240 }}
          value={draft.rfmMonetary}
          aria-label={t('settingsRfmTitle')}
          disabled={!canEdit}
          onChange={(e) => edit({ rfmMonetary: e.target.value as Draft['rfmMonetary'] })}
          data-testid="settings-rfm"
        >
          <option value="sum">{t('settingsRfmSum')}</option>
          <option value="aov">{t('settingsRfmAov')}</option>
        </select>,
      )}
      {section(
        'categories',
        'settingsCategoriesTitle',
        'settingsCategoriesHelp',
        <CategoriesSection canEdit={session.can('data.import')} />,
      )}
      {canEdit && (
        <div className="admin-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!dirty}
            onClick={() => void save()}
            data-testid="settings-save"
          >
            {t('settingsSave')}
          </button>
          {justSaved && !dirty && (
            <span className="admin-saved" data-testid="settings-saved">
              {t('settingsSaved')}
            </span>
          )}
        </div>
      )}
    </>
  );
}
