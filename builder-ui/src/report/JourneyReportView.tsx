import { useCallback, useEffect, useMemo, useState } from 'react';
import type { JourneyReport } from '../api.ts';
import { getVersion, journeyReport, listVersions } from '../api.ts';
import { ReadOnlyCanvas } from '../canvas/ReadOnlyCanvas.tsx';
import type { NodeMemberCount } from '../canvas/contexts.ts';
import { NodeCountsContext, ReadOnlyContext } from '../canvas/contexts.ts';
import { describeError } from '../errors.ts';
import { useI18n } from '../i18n.ts';
import type { JourneyDoc } from '../journey/model.ts';
import { formatDuration, nodeTitleOf } from '../journey/describe.ts';
import { Duration, durationMs } from '@huitou/schemas';
import { fromGraph } from '../journey/model.ts';
import { usePolling } from '../monitor/usePolling.ts';
import { PeriodPicker, TODAY, queryOf } from './PeriodPicker.tsx';
import type { PeriodChoice } from './PeriodPicker.tsx';
import { JourneyReportPanel } from './ReportPanel.tsx';
import { useReadableFit } from '../canvas/useReadableFit.ts';

const POLL_MS = 15_000;

type Tab = 'report' | 'canvas';

/**
 * A triggered journey measured over a period, across all its runs (or cohorts): the report, and the
 * latest published graph with members per node, as the monitor shows a run's.
 */
export function JourneyReportView({
  journeyId,
  journeyName,
  onClose,
}: {
  journeyId: string;
  journeyName: string;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const readableFit = useReadableFit();
  const [choice, setChoice] = useState<PeriodChoice>(TODAY);
  const [tab, setTab] = useState<Tab>('report');
  const [doc, setDoc] = useState<JourneyDoc | null>(null);
  const [report, setReport] = useState<JourneyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const query = queryOf(choice);
  const queryKey = JSON.stringify(query);

  useEffect(() => {
    (async () => {
      const versions = await listVersions(journeyId);
      const latest = versions.reduce<number | null>((v, x) => Math.max(v ?? 0, x.version), null);
      if (latest === null) return;
      setDoc(fromGraph((await getVersion(journeyId, latest)).graph));
    })().catch((e: unknown) => setError(describeError(e, i18n)));
  }, [journeyId, i18n]);

  useEffect(() => {
    // The canvas tab was hidden (no size) when its graph arrived: fit it, readable, once it shows.
    if (tab === 'canvas' && doc) setTimeout(readableFit, 80);
  }, [tab, doc, readableFit]);

  const load = useCallback(async () => {
    if (!query) return;
    try {
      setReport(await journeyReport(journeyId, query));
      setError(null);
    } catch (e) {
      setError(describeError(e, i18n));
    }
  }, [journeyId, queryKey, i18n]); // the query by value
  usePolling(load, POLL_MS, `${journeyId} ${queryKey}`);

  const counts = useMemo(
    () =>
      new Map<string, NodeMemberCount>(
        (report?.nodes ?? []).map((n) => [n.nodeId, { entered: n.reached, waiting: n.waiting, exited: n.exited }]),
      ),
    [report],
  );
  const nodeTitle = (id: string) => {
    const node = doc?.nodes.find((n) => n.id === id);
    return node ? nodeTitleOf(node.data, i18n.l) : id;
  };
  // Nobody in the period yet: say when a first evaluation can land (the soonest checkpoint's offset).
  const firstCheckpoint = useMemo(() => {
    const offsets = (doc?.nodes ?? [])
      .filter((n) => n.data.type === 'eval.checkpoint')
      .map((n) => Duration.safeParse(n.data.config.offset))
      .flatMap((parsed) => (parsed.success ? [parsed.data] : []))
      .sort((a, b) => durationMs(a) - durationMs(b));
    return offsets[0] ? i18n.t('firstCheckpointAfter', { after: formatDuration(offsets[0], i18n) ?? '' }) : undefined;
  }, [doc, i18n]);

  return (
    <ReadOnlyContext.Provider value={true}>
      <NodeCountsContext.Provider value={counts}>
        <header className="topbar monitor-bar" data-testid="journey-report-view">
          <div className="brand">
            <span className="brand-mark">回</span>
            <span className="brand-name">{t('journeyReportTitle')}</span>
          </div>
          <span className="monitor-name">{journeyName}</span>
          <PeriodPicker value={choice} onChange={setChoice} />
          <div className="tabs monitor-tabs" role="tablist">
            {(['report', 'canvas'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                className={`tab ${tab === k ? 'is-on' : ''}`}
                onClick={() => setTab(k)}
                data-testid={`tab-${k}`}
              >
                {t(k === 'report' ? 'tabReport' : 'tabCanvas')}
              </button>
            ))}
          </div>
          <div className="topbar-end">
            <button type="button" className="btn" onClick={onClose} data-testid="report-close">
              {t('backToEditor')}
            </button>
          </div>
        </header>
        {error && (
          <div className="error-banner" role="alert" data-testid="report-error">
            {error}
          </div>
        )}
        {!query && <div className="empty-hint">{t('periodIncomplete')}</div>}
        {tab === 'report' ? (
          report &&
          query && (
            <JourneyReportPanel
              journeyId={journeyId}
              query={query}
              report={report}
              nodeTitle={nodeTitle}
              emptyHint={firstCheckpoint}
            />
          )
        ) : (
          <div className="workspace">
            <main className="center">{doc && <ReadOnlyCanvas doc={doc} setDoc={setDoc} />}</main>
          </div>
        )}
      </NodeCountsContext.Provider>
    </ReadOnlyContext.Provider>
  );
}
