import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RunDetail, RunInfo, RunMessages } from '../api.ts';
import { getRun, getVersion, listVersions, runMessages } from '../api.ts';
import { ReadOnlyCanvas } from '../canvas/ReadOnlyCanvas.tsx';
import { NodeCountsContext, ReadOnlyContext } from '../canvas/contexts.ts';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import { runStateLabel } from '../messages.ts';
import type { JourneyDoc } from '../journey/model.ts';
import { fromGraph } from '../journey/model.ts';
import { ReportPanel } from '../report/ReportPanel.tsx';
import { MessageStats } from './MessageStats.tsx';
import { RunControls } from './RunControls.tsx';
import { nodeCountsOf } from './runCounts.ts';
import { usePolling } from './usePolling.ts';
import { WaitingReasons, nodeTitleIn } from './WaitingReasons.tsx';

const POLL_MS = 2000;

type Tab = 'monitor' | 'report';

/** A run of a published version: its graph read-only with live counts, message stats, ops controls, the report. */
export function MonitorView({ run, journeyName, onClose }: { run: RunInfo; journeyName: string; onClose: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [doc, setDoc] = useState<JourneyDoc | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  const [messages, setMessages] = useState<RunMessages | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('monitor');

  // The run pins its version: draw that graph, not the draft.
  useEffect(() => {
    (async () => {
      const versions = await listVersions(run.journeyId);
      const pinned = versions.find((v) => v.id === run.versionId);
      if (!pinned) return;
      const found = await getVersion(run.journeyId, pinned.version);
      setVersion(found.version);
      setDoc(fromGraph(found.graph));
    })().catch((e: unknown) => setError(describeError(e, i18n)));
  }, [run.journeyId, run.versionId, i18n]);

  const refresh = useCallback(async () => {
    try {
      const [d, m] = await Promise.all([getRun(run.id), runMessages(run.id)]);
      setDetail(d);
      setMessages(m);
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [run.id, i18n]);
  usePolling(refresh, POLL_MS, run.id);

  const counts = useMemo(() => (detail ? nodeCountsOf(detail) : new Map()), [detail]);
  const state = detail?.state ?? run.state;

  return (
    <ReadOnlyContext.Provider value={true}>
      <NodeCountsContext.Provider value={counts}>
        <header className="topbar monitor-bar" data-testid="monitor">
          <div className="brand">
            <span className="brand-mark">回</span>
            <span className="brand-name">{t('monitorTitle')}</span>
          </div>
          <span className="monitor-name">
            {journeyName}
            {version !== null && ` · v${version}`}
          </span>
          <span className={`run-state state-${state}`} data-testid="run-state" data-state={state}>
            {t('runState', { state: runStateLabel(state, i18n) })}
          </span>
          {detail?.memberCount != null && (
            <span className="monitor-meta">
              {t('runMembers', { count: detail.memberCount, holdout: Math.round(detail.holdoutRatio * 100) })}
            </span>
          )}
          <div className="tabs monitor-tabs" role="tablist">
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'monitor'}
              className={`tab ${tab === 'monitor' ? 'is-on' : ''}`}
              onClick={() => setTab('monitor')}
              data-testid="tab-monitor"
            >
              {t('tabMonitor')}
            </button>
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'report'}
              className={`tab ${tab === 'report' ? 'is-on' : ''}`}
              onClick={() => setTab('report')}
              data-testid="tab-report"
            >
              {t('tabReport')}
            </button>
          </div>
          <div className="topbar-end">
            {detail && (
              <RunControls run={detail} onChanged={refresh} onError={(e) => setError(describeError(e, i18n))} />
            )}
            <button type="button" className="btn" onClick={onClose} data-testid="monitor-close">
              {t('backToEditor')}
            </button>
          </div>
        </header>
        {error && (
          <div className="error-banner" role="alert" data-testid="monitor-error">
            {error}
          </div>
        )}
        {tab === 'report' ? (
          <ReportPanel runId={run.id} timeZone={doc?.settings.timeZone} />
        ) : (
          <div className="workspace">
            <main className="center">{doc && <ReadOnlyCanvas doc={doc} setDoc={setDoc} />}</main>
            <aside className="sidepanel">
              <div className="sidepanel-body">
                {detail?.waiting && <WaitingReasons waiting={detail.waiting} doc={doc} />}
                {messages && <MessageStats messages={messages} nodeTitle={(id) => nodeTitleIn(doc, id, i18n) || id} />}
              </div>
            </aside>
          </div>
        )}
      </NodeCountsContext.Provider>
    </ReadOnlyContext.Provider>
  );
}
