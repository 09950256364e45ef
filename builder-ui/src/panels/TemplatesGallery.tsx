import { useEffect, useState } from 'react';
import type { JourneyDetail, TemplateSummary } from '../api.ts';
import { createFromTemplate, createJourney, listTemplates } from '../api.ts';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import { blankDoc, toGraph } from '../journey/model.ts';

export interface TemplatesGalleryProps {
  /** The new draft journey, once made. */
  onCreated(journey: JourneyDetail): void;
  onClose(): void;
}

const BLANK = 'blank';

/**
 * A new journey: pick a template card (or the blank one), then confirm. Picking only selects, so
 * looking around never leaves drafts behind; the confirm button makes exactly one.
 */
export function TemplatesGallery(props: TemplatesGalleryProps) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [chosen, setChosen] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listTemplates().then(setTemplates, (e: unknown) => setError(describeError(e, i18n)));
  }, [i18n]);

  const create = async () => {
    if (chosen === null || creating) return;
    setCreating(true);
    try {
      props.onCreated(
        chosen === BLANK
          ? await createJourney(toGraph(blankDoc(t('untitledJourney'))))
          : await createFromTemplate(chosen),
      );
    } catch (e) {
      setError(describeError(e, i18n));
      setCreating(false);
    }
  };
  const card = (id: string) => ({
    type: 'button' as const,
    'aria-pressed': chosen === id,
    onClick: () => setChosen(id),
    onDoubleClick: () => void create(),
    'data-testid': `template-${id}`,
  });

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
        <div className="template-grid">
          <button className={`template-card is-blank ${chosen === BLANK ? 'is-on' : ''}`} {...card(BLANK)}>
            <div className="template-name">{t('blankJourney')}</div>
            <div className="template-desc">{t('blankJourneyDesc')}</div>
          </button>
          {/* Each template carries its own card texts (schemas/src/fixtures). */}
          {templates.map((tpl) => (
            <button key={tpl.id} className={`template-card ${chosen === tpl.id ? 'is-on' : ''}`} {...card(tpl.id)}>
              <div className="template-name">{l(tpl.card.label)}</div>
              <div className="template-desc">{l(tpl.card.description)}</div>
              <div className="template-stats">{t('templateStats', { nodes: tpl.nodeCount, sms: tpl.smsCount })}</div>
            </button>
          ))}
        </div>
        <div className="modal-actions">
          <span className="template-hint">{t('templatePickHint')}</span>
          <button type="button" className="btn" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={chosen === null || creating}
            onClick={() => void create()}
            data-testid="template-confirm"
          >
            {t('templateCreate')}
          </button>
        </div>
      </div>
    </div>
  );
}
