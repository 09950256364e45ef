import { useState } from 'react';
import { useI18n } from '../i18n.ts';

/** Publishing makes an immutable version; the notes say what changed, for whoever reads the versions later. */
export function PublishDialog(props: { onPublish: (notes: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [notes, setNotes] = useState('');
  return (
    <div className="modal-backdrop" onClick={props.onCancel}>
      <div
        className="modal modal-small"
        role="dialog"
        aria-label={t('publishTitle')}
        onClick={(e) => e.stopPropagation()}
        data-testid="publish-dialog"
      >
        <div className="modal-head">
          <h2>{t('publishTitle')}</h2>
        </div>
        <label className="field-label" htmlFor="publish-notes">
          {t('publishNotes')}
        </label>
        <textarea
          id="publish-notes"
          className="input"
          rows={3}
          maxLength={2000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          data-testid="publish-notes"
        />
        <div className="field-help">{t('publishHelp')}</div>
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onCancel}>
            {t('cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => props.onPublish(notes)}
            data-testid="publish-confirm"
          >
            {t('publish')}
          </button>
        </div>
      </div>
    </div>
  );
}
