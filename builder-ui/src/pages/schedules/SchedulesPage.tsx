import { useCallback, useEffect, useState } from 'react';
import type { JourneySummary, Schedule, ScheduleListed, ScheduleRequest } from '../../api.ts';
import { changeSchedule, createSchedule, listJourneyPage, listSchedules } from '../../api.ts';
import { describeError } from '../../errors.ts';
import type { MessageKey } from '../../i18n.ts';
import { useI18n } from '../../i18n.ts';
import { WEEKDAYS } from '../../inspector/basic-widgets.tsx';
import { PageHeader } from '../../PageHeader.tsx';
import { Pager } from '../../Pager.tsx';
import { formatInstant } from '../../report/format.ts';
import { Link } from '../../router.tsx';
import { paths } from '../../routes.ts';
import { useSession } from '../../session.ts';
import { ruleText } from './rule.ts';
import { DataField } from '../DataField.tsx';
import '../data-pages.css';

const PAGE = 20;
const STATE_LABEL: Record<ScheduleListed['state'], MessageKey> = {
  active: 'schedulesStateActive',
  paused: 'schedulesStatePaused',
  ended: 'schedulesStateEnded',
  deleted: 'schedulesStateDeleted',
};

/** Every journey's schedules: create one, pause, resume, delete. */
export function SchedulesPage() {
  const i18n = useI18n();
  const { t, l, lang } = i18n;
  const { can } = useSession();
  const canChange = can('runs.start');
  const [list, setList] = useState<{ schedules: ScheduleListed[]; total: number } | null>(null);
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    try {
      setList(await listSchedules(PAGE, offset));
    } catch (error) {
      setMessage({ ok: false, text: describeError(error, i18n) });
    }
  }, [offset, i18n]);
  useEffect(() => void refresh(), [refresh]);

  const act = async (id: string, action: 'pause' | 'resume' | 'delete') => {
    setBusy(true);
    try {
      await changeSchedule(id, action);
      setConfirmDelete(null);
      setMessage(null);
      await refresh();
    } catch (error) {
      setMessage({ ok: false, text: describeError(error, i18n) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('navSchedules')} subtitle={t('schedulesSubtitle')} />
      {canChange && (
        <CreateSchedule
          onCreated={(created) => {
            setMessage({
              ok: true,
              text: t('schedulesCreated', { when: formatInstant(created.nextAt, lang, created.timeZone) }),
            });
            setOffset(0);
            void refresh();
          }}
          onError={(text) => setMessage({ ok: false, text })}
        />
      )}
      {message && (
        <p className={message.ok ? 'data-ok' : 'data-error'} data-testid="schedules-message">
          {message.text}
        </p>
      )}
      {list && list.total === 0 && <p className="page-empty">{t('schedulesNone')}</p>}
      {list && list.schedules.length > 0 && (
        <table className="data-table" data-testid="schedule-list">
          <thead>
            <tr>
              <th>{t('schedulesJourney')}</th>
              <th>{t('schedulesRule')}</th>
              <th>{t('schedulesNext')}</th>
              <th>{t('schedulesState')}</th>
              <th>{t('schedulesBy')}</th>
              {canChange && <th>{t('schedulesActions')}</th>}
            </tr>
          </thead>
          <tbody>
            {list.schedules.map((s) => (
              <tr key={s.id} data-testid={`schedule-${s.id}`} data-state={s.state}>
                <td>
                  <Link to={paths.journey(s.journeyId)}>{s.journeyName}</Link>
                </td>
                <td>{ruleText(s, { t, l })}</td>
                <td>{s.state === 'active' ? formatInstant(s.nextAt, lang, s.timeZone) : '—'}</td>
                <td>
                  <span className={`data-state is-${s.state}`}>{t(STATE_LABEL[s.state])}</span>
                </td>
                <td>{s.createdByName ?? s.createdBy ?? '—'}</td>
                {canChange && (
                  <td>
                    <div className="data-actions">
                      {(s.state === 'active' || s.state === 'paused') && (
                        <button
                          type="button"
                          className="btn btn-small"
                          disabled={busy}
                          onClick={() => void act(s.id, s.state === 'active' ? 'pause' : 'resume')}
                          data-testid={s.state === 'active' ? 'schedule-pause' : 'schedule-resume'}
                        >
                          {t(s.state === 'active' ? 'schedulesPause' : 'schedulesResume')}
                        </button>
                      )}
                      {confirmDelete === s.id ? (
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          disabled={busy}
                          onClick={() => void act(s.id, 'delete')}
                          data-testid="schedule-confirm-delete"
                        >
                          {t('schedulesConfirmDelete')}
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="btn btn-small btn-danger-ghost"
                          disabled={busy}
                          onClick={() => setConfirmDelete(s.id)}
                          data-testid="schedule-delete"
                        >
                          {t('schedulesDelete')}
                        </button>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list && <Pager offset={offset} limit={PAGE} total={list.total} onChange={setOffset} />}
    </>
  );
}

/** The create form: a published audience journey and its rule (the journey's time zone). */
function CreateSchedule({
  onCreated,
  onError,
}: {
  readonly onCreated: (created: Schedule) => void;
  readonly onError: (text: string) => void;
}) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const [journeys, setJourneys] = useState<JourneySummary[] | null>(null);
  const [journeyId, setJourneyId] = useState('');
  const [rule, setRule] = useState<ScheduleRequest>({ every: 'day', at: '09:30' });
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listJourneyPage({ archived: 'false', limit: 500 }).then(
      ({ journeys: all }) =>
        setJourneys(
          all.filter(
            (j) => j.kind === 'audience' && j.latestVersion !== null && j.state !== 'archived' && j.state !== 'stopped',
          ),
        ),
      (error: unknown) => onError(describeError(error, i18n)),
    );
  }, []);

  const setEvery = (every: ScheduleRequest['every']) =>
    setRule({
      every,
      at: rule.at,
      ...(every === 'week' ? { weekday: 1 } : {}),
      ...(every === 'month' ? { monthDay: 1 } : {}),
    });

  const create = async () => {
    setBusy(true);
    try {
      const created = await createSchedule(journeyId, rule);
      onCreated(created);
    } catch (error) {
      onError(describeError(error, i18n));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="data-card" data-testid="schedule-form">
      <h2>{t('schedulesCreateTitle')}</h2>
      <DataField label={t('schedulesJourney')}>
        <select
          className="input"
          value={journeyId}
          onChange={(e) => setJourneyId(e.target.value)}
          data-testid="schedule-journey"
        >
          <option value="">{journeys?.length === 0 ? t('schedulesNoJourney') : t('schedulesPickJourney')}</option>
          {journeys?.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
      </DataField>
      <DataField label={t('schedulesEvery')}>
        <select
          className="input"
          value={rule.every}
          onChange={(e) => setEvery(e.target.value as ScheduleRequest['every'])}
          data-testid="schedule-every"
        >
          <option value="day">{t('schedDaily')}</option>
          <option value="week">{t('schedWeekly')}</option>
          <option value="month">{t('schedMonthly')}</option>
        </select>
      </DataField>
      {rule.every === 'week' && (
        <DataField label={t('schedulesWeekday')}>
          <select
            className="input"
            value={rule.weekday ?? 1}
            onChange={(e) => setRule({ ...rule, weekday: Number(e.target.value) })}
            data-testid="schedule-weekday-pick"
          >
            {Object.entries(WEEKDAYS).map(([d, label]) => (
              <option key={d} value={d}>
                {t('schedWeekdayName', { day: l(label) })}
              </option>
            ))}
          </select>
        </DataField>
      )}
      {rule.every === 'month' && (
        <DataField label={t('schedulesMonthDay')}>
          <input
            className="input"
            type="number"
            min={1}
            max={31}
            value={rule.monthDay ?? 1}
            onChange={(e) => setRule({ ...rule, monthDay: Number(e.target.value) })}
            data-testid="schedule-month-day"
          />
        </DataField>
      )}
      <DataField label={t('schedulesAt')}>
        <input
          className="input"
          type="time"
          value={rule.at}
          onChange={(e) => setRule({ ...rule, at: e.target.value })}
          data-testid="schedule-at"
        />
      </DataField>
      <button
        type="button"
        className="btn btn-primary"
        disabled={!journeyId || busy}
        onClick={() => void create()}
        data-testid="schedule-create"
      >
        {t('schedulesCreate')}
      </button>
    </section>
  );
}
