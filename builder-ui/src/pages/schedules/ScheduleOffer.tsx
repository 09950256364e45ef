import { useEffect, useState } from 'react';
import type { ScheduleRequest } from '../../api.ts';
import { createSchedule, journeySchedules } from '../../api.ts';
import { describeError } from '../../errors.ts';
import { useI18n } from '../../i18n.ts';
import { formatInstant } from '../../report/format.ts';
import { useSession } from '../../session.ts';
import { ruleText } from './rule.ts';
import '../data-pages.css';

type Rule = Pick<ScheduleRequest, 'every' | 'at'> & { weekday?: number | null; monthDay?: number | null };
const sameRule = (a: Rule, b: Rule) =>
  a.every === b.every &&
  a.at === b.at &&
  (a.weekday ?? null) === (b.weekday ?? null) &&
  (a.monthDay ?? null) === (b.monthDay ?? null);

/**
 * Shown after a publish: when the journey's entry is drawn as recurring and no live schedule runs
 * that rule yet, offers to create it (POST /api/journeys/:id/schedules with the drawn body).
 * Renders nothing otherwise.
 */
export function ScheduleOffer({ journeyId, onClose }: { readonly journeyId: string; readonly onClose: () => void }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { can } = useSession();
  const [drawn, setDrawn] = useState<ScheduleRequest | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!can('runs.start')) return onClose();
    journeySchedules(journeyId).then(
      ({ drawn: rule, schedules }) => {
        const live = schedules.some((s) => (s.state === 'active' || s.state === 'paused') && rule && sameRule(rule, s));
        if (!rule || live) onClose();
        else setDrawn(rule);
      },
      () => onClose(),
    );
  }, [journeyId]);

  if (!drawn) return null;
  const create = async () => {
    setBusy(true);
    try {
      const created = await createSchedule(journeyId, drawn);
      setStatus({
        ok: true,
        text: t('schedulesCreated', { when: formatInstant(created.nextAt, lang, created.timeZone) }),
      });
    } catch (error) {
      setStatus({ ok: false, text: describeError(error, i18n) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <div className="modal modal-small" role="dialog" aria-modal="true" data-testid="schedule-offer">
        <div className="modal-head">
          <h2>{t('schedulesOfferTitle')}</h2>
        </div>
        <p>{t('schedulesOfferBody', { rule: ruleText(drawn, i18n) })}</p>
        {status && (
          <p className={status.ok ? 'data-ok' : 'data-error'} data-testid="schedule-offer-status">
            {status.text}
          </p>
        )}
        <div className="modal-actions">
          {status?.ok ? (
            <button type="button" className="btn btn-primary" onClick={onClose} data-testid="schedule-offer-close">
              {t('close')}
            </button>
          ) : (
            <>
              <button type="button" className="btn" onClick={onClose} data-testid="schedule-offer-later">
                {t('schedulesOfferLater')}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                disabled={busy}
                onClick={() => void create()}
                data-testid="schedule-offer-create"
              >
                {t('schedulesOfferCreate')}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
