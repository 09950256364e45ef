import { useEffect, useState } from 'react';
import type { TemplateSummary } from '../api.ts';
import { listTemplates } from '../api.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';

/** Catalogue keys for each shipped template (the templates themselves carry only data). */
const templateTexts: Record<string, [MessageKey, MessageKey]> = {
  newBuyer1111: ['tplNewBuyer1111', 'tplNewBuyer1111Desc'],
  paymentReminder: ['tplPaymentReminder', 'tplPaymentReminderDesc'],
  orderCare: ['tplOrderCare', 'tplOrderCareDesc'],
  refundCare: ['tplRefundCare', 'tplRefundCareDesc'],
  neutralReviewAlert: ['tplNeutralReview', 'tplNeutralReviewDesc'],
  birthdayCare: ['tplBirthday', 'tplBirthdayDesc'],
  replenishment: ['tplReplenishment', 'tplReplenishmentDesc'],
  prePromotionWarmup: ['tplWarmup', 'tplWarmupDesc'],
};

/** Template cards; one click turns a template into the current draft (undoable). */
export function TemplatesGallery(props: { onUse: (templateId: string) => void; onBlank: () => void; onClose: () => void }) {
  const { t } = useI18n();
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  useEffect(() => {
    void listTemplates().then(setTemplates);
  }, []);
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div className="modal" role="dialog" aria-label={t('templatesTitle')} onClick={(e) => e.stopPropagation()} data-testid="templates-gallery">
        <div className="modal-head">
          <h2>{t('templatesTitle')}</h2>
          <button type="button" className="btn btn-ghost" onClick={props.onClose}>
            {t('close')}
          </button>
        </div>
        <div className="template-grid">
          <button type="button" className="template-card is-blank" onClick={props.onBlank} data-testid="template-blank">
            <div className="template-name">{t('blankJourney')}</div>
            <div className="template-desc">{t('blankJourneyDesc')}</div>
          </button>
          {templates.map((tpl) => {
            const [nameKey, descKey] = templateTexts[tpl.id] ?? [null, null];
            return (
              <button key={tpl.id} type="button" className="template-card" onClick={() => props.onUse(tpl.id)} data-testid={`template-${tpl.id}`}>
                <div className="template-name">{nameKey ? t(nameKey) : tpl.id}</div>
                <div className="template-desc">{descKey ? t(descKey) : ''}</div>
                <div className="template-stats">{t('templateStats', { nodes: tpl.nodeCount, sms: tpl.smsCount })}</div>
                <span className="template-use">{t('useTemplate')} →</span>
              </button>
            );
          })}
        </div>
      </div>
    </div>
  );
}
