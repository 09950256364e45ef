import { useState } from 'react';
import type { RunControl, RunDetail, RunInfo } from '../api.ts';
import { controlRun, startRun } from '../api.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { ConfirmDialog } from '../panels/ConfirmDialog.tsx';
import { ReviewDialog } from '../panels/ReviewDialog.tsx';
import { useSession } from '../session.ts';

const texts: Record<RunControl, { label: MessageKey; confirm: MessageKey; danger?: boolean }> = {
  pause: { label: 'controlPause', confirm: 'confirmPause' },
  resume: { label: 'controlResume', confirm: 'confirmResume' },
  drain: { label: 'controlDrain', confirm: 'confirmDrain' },
  stop: { label: 'controlStop', confirm: 'confirmStop', danger: true },
};
const order: readonly RunControl[] = ['pause', 'resume', 'drain', 'stop'];

/** Pause / resume / drain / stop, each after a confirmation; only for roles that may control runs. */
export function RunControls({
  run,
  onChanged,
  onError,
}: {
  run: RunDetail;
  onChanged: () => Promise<void>;
  onError: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [asking, setAsking] = useState<RunControl | null>(null);
  if (!session.can('runs.control')) return null;

  const apply = async (control: RunControl) => {
    setAsking(null);
    try {
      await controlRun(run.id, control);
      await onChanged();
    } catch (error) {
      onError(error);
    }
  };

  return (
    <div className="run-controls">
      {order.map((control) => (
        <button
          key={control}
          type="button"
          className={`btn ${texts[control].danger ? 'btn-danger-ghost' : ''}`}
          disabled={!run.controls.includes(control)}
          onClick={() => setAsking(control)}
          data-testid={`control-${control}`}
        >
          {t(texts[control].label)}
        </button>
      ))}
      {asking && (
        <ConfirmDialog
          title={t(texts[asking].label)}
          body={t(texts[asking].confirm)}
          confirm={t(texts[asking].label)}
          danger={texts[asking].danger}
          onConfirm={() => void apply(asking)}
          onCancel={() => setAsking(null)}
        />
      )}
    </div>
  );
}

/**
 * 运行 a published version, after the review (audience, SMS and cost, start time). The run starts
 * at the entry's start time when that is still ahead (the engine schedules it), otherwise now.
 * Triggered journeys have no such button: they start from events once published.
 */
export function StartRunButton({
  journeyId,
  version,
  onStarted,
  onError,
}: {
  journeyId: string;
  version: number;
  onStarted: (run: RunInfo) => Promise<void>;
  onError: (error: unknown) => void;
}) {
  const { t } = useI18n();
  const session = useSession();
  const [reviewing, setReviewing] = useState(false);
  if (!session.can('runs.start')) return null;

  const start = async () => {
    setReviewing(false);
    try {
      await onStarted(await startRun(journeyId, version));
    } catch (error) {
      onError(error);
    }
  };

  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-primary"
        onClick={() => setReviewing(true)}
        data-testid="start-run"
      >
        {t('startRun')}
      </button>
      {reviewing && (
        <ReviewDialog
          journeyId={journeyId}
          version={version}
          mode="run"
          onConfirm={() => void start()}
          onCancel={() => setReviewing(false)}
        />
      )}
    </>
  );
}
