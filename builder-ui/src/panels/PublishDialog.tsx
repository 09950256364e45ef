import { useState } from 'react';
import type { JourneyReview } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ReviewDialog } from './ReviewDialog.tsx';

/**
 * Publishing goes through the review (who, how many SMS at what cost, when, the trigger); the
 * notes say what changed, for whoever reads the versions later. The draft is saved first, since
 * the engine reviews and publishes the stored draft.
 */
export function PublishDialog(props: {
  journeyId: string;
  saveDraft: () => Promise<void>;
  onPublish: (notes: string, review: JourneyReview) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [notes, setNotes] = useState('');
  return (
    <ReviewDialog
      journeyId={props.journeyId}
      mode="publish"
      prepare={props.saveDraft}
      onConfirm={(review) => props.onPublish(notes, review)}
      onCancel={props.onCancel}
    >
      <div data-testid="publish-dialog">
        <label className="field-label" htmlFor="publish-notes">
          {t('publishNotes')}
        </label>
        <textarea
          id="publish-notes"
          className="input"
          rows={2}
          maxLength={2000}
          value={notes}
          onChange={(e) => setNotes(e.target.value)}
          data-testid="publish-notes"
        />
        <div className="field-help">{t('publishHelp')}</div>
      </div>
    </ReviewDialog>
  );
}
