import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { orderEventLabels } from '@huitou/schemas';
import type { JourneyReview } from '../api.ts';
import { journeyReview } from '../api.ts';
import { describeError } from '../errors.ts';
import type { I18n, MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { formatWhen } from '../monitor/when.ts';
import { formatCount, formatMoney } from '../report/format.ts';

export type ReviewMode = 'publish' | 'run';

/** The sentence that says who enters a triggered journey once it is published. */
function triggerSentence(review: JourneyReview, i18n: I18n): string | null {
  const trigger = review.trigger;
  if (!trigger) return null;
  if (trigger.kind === 'date')
    return i18n.t(trigger.rule === 'birthday' ? 'reviewTriggerBirthday' : 'reviewTriggerLastPurchase', {
      at: trigger.checkAt,
    });
  if (trigger.event === 'review_posted') return i18n.t('reviewTriggerReview');
  return i18n.t('reviewTriggerEvent', { event: i18n.l(orderEventLabels[trigger.event]) });
}

function startSentence(review: JourneyReview, i18n: I18n): string {
  if (review.recurring) return i18n.t('reviewRecurring');
  if (!review.startAt) return i18n.t('reviewStartNow');
  const when = formatWhen(review.startAt, i18n, review.timeZone);
  return i18n.t(review.startInPast ? 'reviewStartPast' : 'reviewStartAt', { when });
}

/** What the confirm button says: the action it takes, never just "OK". */
export function confirmLabel(review: JourneyReview, mode: ReviewMode): MessageKey {
  if (mode === 'publish') return review.kind === 'triggered' ? 'reviewConfirmPublishStart' : 'reviewConfirmPublish';
  return review.startAt && !review.startInPast ? 'reviewConfirmSchedule' : 'reviewConfirmRun';
}

function Row({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div className="review-row" data-testid={testId}>
      <span className="review-label">{label}</span>
      <span className="review-value">{children}</span>
    </div>
  );
}

/**
 * The review before launch: audience, estimated SMS and cost, send window, holdout, start time or
 * trigger, from the engine (GET /api/journeys/:id/review). Publishing and running open it; the
 * confirm button names the action. `children` adds fields (the publish notes).
 */
export function ReviewDialog(props: {
  journeyId: string;
  mode: ReviewMode;
  /** The version to run; none: the saved draft (publishing). */
  version?: number;
  /** Runs before the review is asked for (saving the draft). */
  prepare?: () => Promise<void>;
  children?: ReactNode;
  onConfirm: (review: JourneyReview) => void;
  onCancel: () => void;
}) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [review, setReview] = useState<JourneyReview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { journeyId, version } = props;
  // Asked once per journey and version, whatever the caller's function identity.
  const prepare = useRef(props.prepare);

  useEffect(() => {
    let live = true;
    (async () => {
      await prepare.current?.();
      const found = await journeyReview(journeyId, version);
      if (live) setReview(found);
    })().catch((e: unknown) => live && setError(describeError(e, i18n)));
    return () => {
      live = false;
    };
  }, [journeyId, version, i18n]);

  const title = t(props.mode === 'publish' ? 'reviewPublishTitle' : 'reviewRunTitle');
  const trigger = review && triggerSentence(review, i18n);
  const cost = review && formatMoney(review.estimatedCost, lang);
  return (
    <div className="modal-backdrop" onClick={props.onCancel}>
      <div
        className="modal modal-small review"
        role="dialog"
        aria-label={title}
        onClick={(e) => e.stopPropagation()}
        data-testid="review-dialog"
        data-kind={review?.kind ?? ''}
      >
        <div className="modal-head">
          <h2>{title}</h2>
        </div>
        {error && (
          <div className="error-banner" role="alert" data-testid="review-error">
            {error}
          </div>
        )}
        {!review && !error && <p className="field-help">{t('reviewLoading')}</p>}
        {review && (
          <div className="review-rows">
            {trigger && (
              <Row label={t('reviewTrigger')} testId="review-trigger">
                <b>{trigger}</b>
              </Row>
            )}
            {review.audienceCount !== null && (
              <Row label={t('reviewAudience')} testId="review-audience">
                <span data-value={review.audienceCount}>
                  {t('reviewAudienceValue', {
                    count: formatCount(review.audienceCount, lang),
                    treated: formatCount(review.treatedCount, lang),
                  })}
                </span>
              </Row>
            )}
            <Row label={t('reviewMessages')} testId="review-messages">
              <span data-value={review.estimatedMessages} data-cost={review.estimatedCost}>
                {t(review.audienceCount === null ? 'reviewPerEntrant' : 'reviewMessagesValue', {
                  count: formatCount(review.estimatedMessages, lang),
                  cost: cost ?? '',
                })}
              </span>
              <span className="field-help">{t('reviewEstimateNote')}</span>
            </Row>
            <Row label={t('reviewSendWindow')} testId="review-window">
              {review.sendWindow && review.quietHours
                ? t('reviewSendWindowValue', {
                    from: review.sendWindow.from,
                    to: review.sendWindow.to,
                    qfrom: review.quietHours.from,
                    qto: review.quietHours.to,
                  })
                : t('reviewAnyTime')}
            </Row>
            <Row label={t('reviewHoldout')} testId="review-holdout">
              {t('reviewHoldoutValue', { percent: review.holdoutPercent })}
            </Row>
            {review.kind === 'audience' && (
              <Row label={t('reviewStart')} testId="review-start">
                <span className={review.startInPast ? 'review-warn' : ''} data-past={String(review.startInPast)}>
                  {startSentence(review, i18n)}
                </span>
              </Row>
            )}
            {review.kind === 'triggered' && <p className="field-help">{t('reviewNoRunNow')}</p>}
          </div>
        )}
        {props.children}
        <div className="modal-actions">
          <button type="button" className="btn" onClick={props.onCancel} data-testid="review-cancel">
            {t('cancel')}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!review}
            onClick={() => review && props.onConfirm(review)}
            data-testid={props.mode === 'publish' ? 'publish-confirm' : 'run-confirm'}
          >
            {t(review ? confirmLabel(review, props.mode) : 'reviewConfirmPublish')}
          </button>
        </div>
      </div>
    </div>
  );
}
