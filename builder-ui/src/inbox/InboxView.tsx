import { useCallback, useMemo, useState } from 'react';
import { taskKindLabels, taskKinds } from '@huitou/schemas';
import type { TaskKind } from '@huitou/schemas';
import type { InboxCounts, InboxTask } from '../api.ts';
import { claimTask, completeTask, dismissTask, listTasks, taskCounts } from '../api.ts';
import { describeError } from '../errors.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { usePolling } from '../monitor/usePolling.ts';
import { useSession } from '../session.ts';

const POLL_MS = 5000;
const PAGE = 50;

type State = InboxTask['state'];
const states: readonly State[] = ['open', 'claimed', 'done', 'dismissed'];
const stateKeys = {
  open: 'taskOpen',
  claimed: 'taskClaimed',
  done: 'taskDone',
  dismissed: 'taskDismissed',
} as const satisfies Record<State, MessageKey>;

/** The staff inbox: tasks journeys created, filtered by state and kind, with claim / complete / dismiss. */
export function InboxView({ onClose }: { onClose: () => void }) {
  const i18n = useI18n();
  const { t, l, lang } = i18n;
  const session = useSession();
  const [state, setState] = useState<State | ''>('');
  const [kind, setKind] = useState<TaskKind | ''>('');
  const [tasks, setTasks] = useState<InboxTask[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [counts, setCounts] = useState<InboxCounts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const filter = useMemo(() => ({ state: state || undefined, kind: kind || undefined, limit: PAGE }), [state, kind]);

  const refresh = useCallback(async () => {
    try {
      const [page, c] = await Promise.all([listTasks(filter), taskCounts()]);
      setTasks(page.tasks);
      setNext(page.next);
      setCounts(c);
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [filter, i18n]);
  usePolling(refresh, POLL_MS, `${state}|${kind}`);

  const more = async () => {
    if (!next) return;
    try {
      const page = await listTasks({ ...filter, cursor: next });
      setTasks((ts) => [...ts, ...page.tasks]);
      setNext(page.next);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  const act = async (work: () => Promise<InboxTask>) => {
    try {
      await work();
      await refresh();
    } catch (e) {
      setError(describeError(e, i18n));
    }
  };

  const dateTime = (iso: string) =>
    new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });

  return (
    <>
      <header className="topbar monitor-bar" data-testid="inbox">
        <div className="brand">
          <span className="brand-mark">回</span>
          <span className="brand-name">{t('inboxTitle')}</span>
        </div>
        {counts && (
          <span className="inbox-counts" data-testid="inbox-counts">
            {states.map((s) => (
              <span key={s} className={`task-state task-${s}`} data-testid={`count-${s}`} data-count={counts.states[s]}>
                {t(stateKeys[s])} {counts.states[s]}
              </span>
            ))}
            {counts.overdue > 0 && (
              <span className="task-overdue" data-testid="count-overdue">
                {t('inboxOverdueCount', { count: counts.overdue })}
              </span>
            )}
          </span>
        )}
        <div className="topbar-end">
          <button type="button" className="btn" onClick={onClose} data-testid="inbox-close">
            {t('backToEditor')}
          </button>
        </div>
      </header>
      {error && (
        <div className="error-banner" role="alert" data-testid="inbox-error">
          {error}
        </div>
      )}
      <div className="inbox">
        <div className="inbox-filters">
          <select
            value={state}
            onChange={(e) => setState(e.target.value as State | '')}
            aria-label={t('taskState')}
            data-testid="inbox-state"
          >
            <option value="">{t('inboxAllStates')}</option>
            {states.map((s) => (
              <option key={s} value={s}>
                {t(stateKeys[s])}
                {counts ? ` (${counts.states[s]})` : ''}
              </option>
            ))}
          </select>
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as TaskKind | '')}
            aria-label={t('inboxAllKinds')}
            data-testid="inbox-kind"
          >
            <option value="">{t('inboxAllKinds')}</option>
            {taskKinds.map((k) => (
              <option key={k} value={k}>
                {l(taskKindLabels[k])}
              </option>
            ))}
          </select>
        </div>
        {tasks.length === 0 ? (
          <p className="inbox-empty" data-testid="inbox-empty">
            {t('inboxEmpty')}
          </p>
        ) : (
          <table className="inbox-table" data-testid="inbox-table">
            <thead>
              <tr>
                <th>{t('taskWhy')}</th>
                <th>{t('taskCustomer')}</th>
                <th>{t('taskOrder')}</th>
                <th>{t('taskDue')}</th>
                <th>{t('taskState')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {tasks.map((task) => (
                <TaskRow
                  key={task.id}
                  task={task}
                  due={dateTime(task.dueAt)}
                  canWork={session.can('tasks.work')}
                  onClaim={() => void act(() => claimTask(task.id))}
                  onComplete={(outcome) => void act(() => completeTask(task.id, outcome))}
                  onDismiss={(reason) => void act(() => dismissTask(task.id, reason))}
                />
              ))}
            </tbody>
          </table>
        )}
        {next && (
          <button type="button" className="btn" onClick={() => void more()} data-testid="inbox-more">
            {t('inboxMore')}
          </button>
        )}
      </div>
    </>
  );
}

function TaskRow(props: {
  task: InboxTask;
  due: string;
  canWork: boolean;
  onClaim(): void;
  onComplete(outcome: string): void;
  onDismiss(reason: string): void;
}) {
  const { t, l } = useI18n();
  const { task } = props;
  const [asking, setAsking] = useState<'complete' | 'dismiss' | null>(null);
  const [text, setText] = useState('');
  const live = task.state === 'open' || task.state === 'claimed';
  const submit = () => {
    const value = text.trim();
    if (!value || !asking) return;
    if (asking === 'complete') props.onComplete(value);
    else props.onDismiss(value);
    setAsking(null);
    setText('');
  };
  return (
    <tr className={task.overdue ? 'is-overdue' : ''} data-testid={`task-${task.id}`} data-state={task.state}>
      <td>
        <div className="task-title">
          <span className="task-kind">{l(taskKindLabels[task.kind])}</span> {task.title}
        </div>
        {task.instructions && <div className="task-instructions">{task.instructions}</div>}
        {task.journey && (
          <div className="task-from">{t('taskFrom', { journey: task.journey.name, node: task.nodeId })}</div>
        )}
        {task.outcome && <div className="task-outcome">{task.outcome}</div>}
        {task.dismissReason && <div className="task-outcome">{task.dismissReason}</div>}
      </td>
      <td>
        <div>{task.customer.nickname ?? `#${task.customer.id}`}</div>
        <div className="task-phone" data-testid="task-phone">
          {task.customer.phone ?? '—'}
        </div>
      </td>
      <td>
        {task.order ? (
          <>
            <div>{task.order.externalId ?? `#${task.order.id}`}</div>
            <div className="task-meta">
              ¥{task.order.amount.toFixed(2)} · {task.order.status}
            </div>
          </>
        ) : (
          <span className="task-meta">{t('taskNoOrder')}</span>
        )}
      </td>
      <td>
        <div>{props.due}</div>
        {task.overdue && (
          <span className="task-overdue" data-testid="task-overdue">
            {t('taskOverdue')}
          </span>
        )}
      </td>
      <td>
        <span className={`task-state task-${task.state}`}>{t(stateKeys[task.state])}</span>
        {task.state === 'claimed' && task.claimedBy && (
          <div className="task-meta">{t('taskClaimedBy', { who: task.claimedBy })}</div>
        )}
      </td>
      <td className="task-actions">
        {props.canWork && live && asking === null && (
          <>
            {task.state === 'open' && (
              <button type="button" className="btn btn-small" onClick={props.onClaim} data-testid="task-claim">
                {t('taskClaim')}
              </button>
            )}
            <button
              type="button"
              className="btn btn-small btn-primary"
              onClick={() => setAsking('complete')}
              data-testid="task-complete"
            >
              {t('taskComplete')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setAsking('dismiss')}
              data-testid="task-dismiss"
            >
              {t('taskDismiss')}
            </button>
          </>
        )}
        {asking && (
          <form
            className="task-ask"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <input
              autoFocus
              value={text}
              maxLength={asking === 'complete' ? 500 : 200}
              placeholder={t(asking === 'complete' ? 'taskOutcomePrompt' : 'taskReasonPrompt')}
              onChange={(e) => setText(e.target.value)}
              data-testid="task-text"
            />
            <button
              type="submit"
              className="btn btn-small btn-primary"
              disabled={!text.trim()}
              data-testid="task-submit"
            >
              {t('taskSubmit')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setAsking(null)}>
              {t('cancel')}
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
