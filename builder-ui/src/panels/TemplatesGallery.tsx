import { useEffect, useState } from 'react';
import type { JourneyDetail, JourneySummary, TemplateSummary } from '../api.ts';
import { listJourneys, listTemplates, openJourney } from '../api.ts';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';

export interface TemplatesGalleryProps {
  readonly currentId: string | null;
  onOpen(journey: JourneyDetail): void;
  onUse(templateId: string): void;
  onBlank(): void;
  onClose(): void;
}

/** The journeys in the engine, and template cards: one click turns a template into a new draft journey. */
export function TemplatesGallery(props: TemplatesGalleryProps) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [journeys, setJourneys] = useState<JourneySummary[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const fail = (e: unknown) => setError(describeError(e, i18n));
    listTemplates().then(setTemplates, fail);
    listJourneys().then(setJourneys, fail);
  }, [i18n]);
  const open = (id: string) => openJourney(id).then(props.onOpen, (e: unknown) => setError(describeError(e, i18n)));
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div
        className="modal"
        role="dialog"
        aria-label={t('templatesTitle')}
        onClick={(e) => e.stopPropagation()}
        data-testid="templates-gallery"
      >
        <div className="modal-head">
          <h2>{t('templatesTitle')}</h2>
          <button type="button" className="btn btn-ghost" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
        {error && (
          <div className="field-error" role="alert">
            {error}
          </div>
        )}
        {journeys.length > 0 && (
          <>
            <h3 className="gallery-section">{t('yourJourneys')}</h3>
            <ul className="journey-list" data-testid="journey-list">
              {journeys.map((j) => (
                <li key={j.id}>
                  <button
                    type="button"
                    className={`journey-row ${j.id === props.currentId ? 'is-on' : ''}`}
                    onClick={() => void open(j.id)}
                    data-testid={`journey-${j.id}`}
                  >
                    <span className="journey-row-name">{j.name}</span>
                    <span className="journey-row-meta">
                      {j.latestVersion ? t('journeyPublished', { version: j.latestVersion }) : t('journeyDraft')}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <h3 className="gallery-section">{t('templatesTitle')}</h3>
          </>
        )}
        <div className="template-grid">
          <button type="button" className="template-card is-blank" onClick={props.onBlank} data-testid="template-blank">
            <div className="template-name">{t('blankJourney')}</div>
            <div className="template-desc">{t('blankJourneyDesc')}</div>
          </button>
          {/* Each template carries its own card texts (schemas/src/fixtures). */}
          {templates.map((tpl) => (
            <button
              key={tpl.id}
              type="button"
              className="template-card"
              onClick={() => props.onUse(tpl.id)}
              data-testid={`template-${tpl.id}`}
            >
              <div className="template-name">{l(tpl.card.label)}</div>
              <div className="template-desc">{l(tpl.card.description)}</div>
              <div className="template-stats">{t('templateStats', { nodes: tpl.nodeCount, sms: tpl.smsCount })}</div>
              <span className="template-use">{t('useTemplate')} →</span>
            </button>
          ))}
        </div>
      </div>
    </div>
  );
}
