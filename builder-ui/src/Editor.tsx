import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { NodeChange } from '@xyflow/react';
import { applyNodeChanges } from '@xyflow/react';
import type { GraphError } from '@huitou/schemas';
import type { JourneyDetail, PublishedVersion, RunInfo, VersionSummary } from './api.ts';
import { getRun, getVersion, listRuns, listVersions, publish, saveDraft, validate } from './api.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { EditorContexts, NodeErrorsContext } from './canvas/contexts.ts';
import type { NodeSimFigures } from './canvas/contexts.ts';
import { simulationFigures } from './simulate-api.ts';
import { Palette } from './canvas/Palette.tsx';
import { describeError } from './errors.ts';
import { useI18n } from './i18n.ts';
import { RevealErrorsContext } from './inspector/FieldRow.tsx';
import { NodeInspector } from './inspector/NodeInspector.tsx';
import type { FlowNode, JourneyDoc } from './journey/model.ts';
import { fromGraph, toGraph } from './journey/model.ts';
import { nodeTitleOf } from './journey/describe.ts';
import { useJourneyEditor } from './journey/useJourneyEditor.ts';
import { useLiveValidation } from './journey/useLiveValidation.ts';
import { useShortcuts } from './journey/useShortcuts.ts';
import { ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { PublishDialog } from './panels/PublishDialog.tsx';
import { ScheduleOffer } from './pages/schedules/ScheduleOffer.tsx';
import { StartRunButton } from './monitor/RunControls.tsx';
import { SettingsPanel } from './panels/SettingsPanel.tsx';
import { TemplatesGallery } from './panels/TemplatesGallery.tsx';
import { TopBar } from './panels/TopBar.tsx';
import { useSession } from './session.ts';
import { navigate, useLocation } from './router.tsx';
import { paths } from './routes.ts';

// The monitor (with the report) and the simulate panel are not needed to draw: loaded on first use.
const MonitorView = lazy(() => import('./monitor/MonitorView.tsx').then((m) => ({ default: m.MonitorView })));
const JourneyReportView = lazy(() =>
  import('./report/JourneyReportView.tsx').then((m) => ({ default: m.JourneyReportView })),
);
const SimulatePanel = lazy(() => import('./panels/SimulatePanel.tsx').then((m) => ({ default: m.SimulatePanel })));

const NO_ERRORS = new Map<string, readonly GraphError[]>();
const AUTOSAVE_MS = 600;

type Tab = 'node' | 'settings';

/** A published version shown read-only; only selection and measuring change it. */
interface Viewing {
  readonly version: PublishedVersion;
  readonly doc: JourneyDoc;
}

/** The journey's screen its address names (routes.ts): the canvas, a run's monitor, the report. */
export type EditorView =
  { readonly screen: 'canvas' } | { readonly screen: 'run'; readonly runId: string } | { readonly screen: 'report' };

export interface EditorProps {
  readonly journey: JourneyDetail;
  readonly initial: JourneyDoc;
  readonly view: EditorView;
  readonly onOpenJourney: (journey: JourneyDetail) => void;
}

export function Editor({ journey, initial, view, onOpenJourney }: EditorProps) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const session = useSession();
  const editor = useJourneyEditor(() => initial, i18n.lang);
  const { doc, history } = editor;
  const validation = useLiveValidation(doc);
  const journeyId = journey.id;
  const canEdit = journeyId !== null && session.can('journeys.write');

  const [viewOnly, setViewOnly] = useState(false);
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const [versions, setVersions] = useState<VersionSummary[]>([]);
  const [runs, setRuns] = useState<RunInfo[]>([]);
  // A run named by the address that the journey's run list does not hold (an older one).
  const [linkedRun, setLinkedRun] = useState<RunInfo | null>(null);
  const [publishing, setPublishing] = useState(false);
  // After a publish: offer the schedule drawn on a recurring entry (renders nothing otherwise).
  const [offerSchedule, setOfferSchedule] = useState(false);
  // After a check or a publish attempt every form field shows its error, touched or not.
  const [revealErrors, setRevealErrors] = useState(false);
  const [simulating, setSimulating] = useState(false);
  // `?simulate=<customerId>` (the customer page's link) opens the simulator on that customer.
  const simulateParam = useLocation().searchParams.get('simulate');
  const simulateCustomerId = simulateParam && /^[1-9]\d{0,15}$/.test(simulateParam) ? Number(simulateParam) : null;
  useEffect(() => {
    if (simulateCustomerId !== null && canEdit) setSimulating(true);
  }, [simulateCustomerId, canEdit]);
  // The last simulation's figures, shown on the cards until the next one.
  const [simFigures, setSimFigures] = useState<ReadonlyMap<string, NodeSimFigures> | null>(null);
  const [galleryOpen, setGalleryOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('node');
  const [toast, setToast] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const readOnly = viewOnly || viewing !== null || !canEdit;
  const shown = viewing?.doc ?? doc;
  const selected = shown.nodes.filter((n) => n.selected);
  const selectedKey = selected.map((n) => n.id).join(',');
  const fail = useCallback((error: unknown) => setToast(describeError(error, i18n)), [i18n]);

  const refreshRuns = useCallback(async () => {
    if (journeyId) setRuns(await listRuns(journeyId));
  }, [journeyId]);

  useEffect(() => {
    if (!journeyId) return;
    listVersions(journeyId).then(setVersions, fail);
    refreshRuns().catch(fail);
  }, [journeyId, refreshRuns, fail]);

  const runId = view.screen === 'run' ? view.runId : null;
  const listedRun = runs.find((r) => r.id === runId) ?? null;
  const monitoring = listedRun ?? (linkedRun?.id === runId ? linkedRun : null);
  useEffect(() => {
    if (runId === null || listedRun) return;
    getRun(runId).then((run) => {
      // A run of another journey is shown under its own journey's address.
      if (run.journeyId !== journeyId) navigate(paths.run(run.journeyId, run.id), { replace: true });
      else setLinkedRun(run);
    }, fail);
  }, [runId, listedRun, journeyId, fail]);
  const showJourney = () => navigate(paths.journey(journeyId));

  // Fit a loaded draft once; not React Flow's fitView prop, which would also jump the viewport
  // when the first node lands on an empty canvas.
  const fitView = editor.fitView;
  useEffect(() => {
    if (initial.nodes.length === 0) return;
    const timer = setTimeout(fitView, 80);
    return () => clearTimeout(timer);
  }, [initial, fitView]);

  // Drafts save themselves, only when the graph changed (selection and measuring do not count).
  const lastSaved = useRef(JSON.stringify(toGraph(initial)));
  const flushDraft = useCallback(async () => {
    if (!journeyId || !canEdit) return;
    const graph = toGraph(doc);
    const json = JSON.stringify(graph);
    if (json === lastSaved.current) return;
    const saved = await saveDraft(journeyId, graph);
    lastSaved.current = json;
    setSavedAt(saved.savedAt);
  }, [journeyId, canEdit, doc]);
  useEffect(() => {
    const timer = setTimeout(() => flushDraft().catch(fail), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [flushDraft, fail]);

  // Selecting a node brings its form forward.
  useEffect(() => {
    if (selectedKey !== '') setTab('node');
  }, [selectedKey]);

  useEffect(() => {
    if (toast === null) return;
    const timer = setTimeout(() => setToast(null), 4000);
    return () => clearTimeout(timer);
  }, [toast]);

  const shortcuts = useMemo(
    () => ({
      readOnly,
      undo: history.undo,
      redo: history.redo,
      copy: editor.copy,
      paste: editor.paste,
      deleteSelection: editor.deleteSelection,
    }),
    [readOnly, history.undo, history.redo, editor.copy, editor.paste, editor.deleteSelection],
  );
  useShortcuts(shortcuts);

  const onViewingNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setViewing(
      (v) =>
        v && {
          ...v,
          doc: {
            ...v.doc,
            nodes: applyNodeChanges(
              changes.filter((c) => c.type === 'select' || c.type === 'dimensions'),
              v.doc.nodes,
            ),
          },
        },
    );
  }, []);

  const viewVersion = async (version: number | null) => {
    if (version === null || !journeyId) return setViewing(null);
    try {
      const found = await getVersion(journeyId, version);
      setViewing({ version: found, doc: fromGraph(found.graph) });
      setTimeout(editor.fitView, 60);
    } catch (error) {
      fail(error);
    }
  };

  // The server compiles the stored draft, so the latest edits are saved first.
  const onPublish = async (notes: string) => {
    if (!journeyId) return;
    try {
      await flushDraft();
      const result = await publish(journeyId, notes);
      setPublishing(false);
      if (!result.ok) return setToast(t('publishBlocked', { count: result.errors.length }));
      setVersions(await listVersions(journeyId));
      await viewVersion(result.version.version);
      setToast(t('published', { version: result.version.version }));
      setOfferSchedule(true);
    } catch (error) {
      fail(error);
    }
  };

  const onValidate = async () => {
    setRevealErrors(true);
    if (!journeyId) return;
    try {
      const result = await validate(journeyId, toGraph(doc));
      setToast(result.ok ? t('serverValid') : t('serverInvalid', { count: result.errors.length }));
    } catch (error) {
      fail(error);
    }
  };

  const onRunStarted = async (run: RunInfo) => {
    await refreshRuns();
    navigate(paths.run(journeyId, run.id));
  };

  if (view.screen === 'report') {
    return (
      <div className="app" data-testid="app" data-lang={i18n.lang}>
        <Suspense fallback={null}>
          <JourneyReportView journeyId={journeyId} journeyName={shown.name} onClose={showJourney} />
        </Suspense>
      </div>
    );
  }

  if (runId !== null) {
    if (!monitoring) return <div className="app" data-testid="app" data-lang={i18n.lang} />;
    return (
      <div className="app" data-testid="app" data-lang={i18n.lang}>
        <Suspense fallback={null}>
          <MonitorView
            run={monitoring}
            journeyName={shown.name}
            onClose={() => void refreshRuns().then(showJourney, fail)}
          />
        </Suspense>
      </div>
    );
  }

  const nodeTitle = (id: string) => {
    const node = doc.nodes.find((n) => n.id === id);
    return node ? nodeTitleOf(node.data, l) : null;
  };

  const single = selected.length === 1 ? selected[0] : undefined;
  const otherNodes = shown.nodes
    .filter((n) => n.id !== single?.id)
    .map((n) => ({ id: n.id, label: nodeTitle(n.id) ?? n.id }));

  return (
    <EditorContexts
      readOnly={readOnly}
      simulated={viewing ? null : simFigures}
      edited={{ nodes: shown.nodes, edges: shown.edges, nodeId: single?.id ?? null }}
    >
      <NodeErrorsContext.Provider value={viewing ? NO_ERRORS : validation.byNode}>
        <div className="app" data-testid="app" data-lang={i18n.lang}>
          <TopBar
            name={shown.name}
            readOnly={readOnly}
            viewOnly={viewOnly}
            canUndo={history.canUndo}
            canRedo={history.canRedo}
            problemCount={validation.errors.length}
            savedAt={savedAt}
            versions={versions}
            runs={runs}
            viewingVersion={viewing?.version.version ?? null}
            onRename={editor.rename}
            onUndo={history.undo}
            onRedo={history.redo}
            onLayout={editor.autoLayout}
            onFit={editor.fitView}
            onTemplates={() => setGalleryOpen(true)}
            onToggleViewOnly={() => setViewOnly((v) => !v)}
            onViewVersion={(v) => void viewVersion(v)}
            onOpenRun={(id) => navigate(paths.run(journeyId, id))}
            onInbox={() => navigate(paths.inbox)}
            onReport={
              journey.kind === 'triggered' && versions.length > 0
                ? () => navigate(paths.journeyReport(journeyId))
                : undefined
            }
            onValidate={journeyId ? () => void onValidate() : undefined}
            onSimulate={journeyId && !viewing ? () => setSimulating(true) : undefined}
            onPublish={() => {
              setRevealErrors(true);
              setPublishing(true);
            }}
          />
          <div className="workspace">
            <Palette disabled={readOnly} onAdd={(type) => editor.addNode(type)} />
            <main className="center">
              {readOnly && journeyId && (
                <div className="readonly-banner" data-testid="readonly-banner">
                  <span>
                    {viewing
                      ? t('readOnlyBanner', { version: viewing.version.version })
                      : canEdit
                        ? t('readOnlyDraftBanner')
                        : t('readOnlyRole')}
                  </span>
                  {viewing && journeyId && viewing.doc.nodes.some((n) => n.data.type === 'entry.audience') && (
                    <StartRunButton
                      journeyId={journeyId}
                      version={viewing.version.version}
                      onStarted={onRunStarted}
                      onError={fail}
                    />
                  )}
                  {(viewing || canEdit) && (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => (viewing ? void viewVersion(null) : setViewOnly(false))}
                      data-testid="banner-back"
                    >
                      {viewing ? t('backToDraft') : t('editMode')}
                    </button>
                  )}
                </div>
              )}
              <Canvas
                nodes={shown.nodes}
                edges={shown.edges}
                readOnly={readOnly}
                onNodesChange={viewing ? onViewingNodesChange : editor.onNodesChange}
                onEdgesChange={editor.onEdgesChange}
                onConnect={editor.onConnect}
                onNodeDragStart={editor.onNodeDragStart}
                onDropType={editor.addNode}
              />
              {!viewing && (
                <ProblemsPanel
                  errors={validation.errors}
                  nodeTitle={nodeTitle}
                  onSelectNode={editor.selectNode}
                  onOpenSettings={() => setTab('settings')}
                />
              )}
            </main>
            <aside className="sidepanel">
              <div className="tabs" role="tablist">
                <button
                  type="button"
                  role="tab"
                  aria-selected={tab === 'node'}
                  className={`tab ${tab === 'node' ? 'is-on' : ''}`}
                  onClick={() => setTab('node')}
                  data-testid="tab-node"
                >
                  {t('tabNode')}
                </button>
                <button
                  type="button"
                  role="tab"
                  aria-selected={tab === 'settings'}
                  className={`tab ${tab === 'settings' ? 'is-on' : ''}`}
                  onClick={() => setTab('settings')}
                  data-testid="tab-settings"
                >
                  {t('tabSettings')}
                </button>
              </div>
              <RevealErrorsContext.Provider value={revealErrors}>
                <div className="sidepanel-body">
                  {tab === 'settings' ? (
                    <SettingsPanel
                      settings={shown.settings}
                      errors={viewing ? [] : validation.errors}
                      readOnly={readOnly}
                      onChange={editor.updateSettings}
                    />
                  ) : single ? (
                    <NodeInspector
                      key={single.id}
                      node={single}
                      errors={viewing ? [] : (validation.byNode.get(single.id) ?? [])}
                      settings={shown.settings}
                      otherNodes={otherNodes}
                      readOnly={readOnly}
                      onConfigChange={(key, value) => editor.updateConfig(single.id, key, value)}
                      onLabelChange={(label) => editor.updateLabel(single.id, label)}
                      onDelete={() => editor.deleteNode(single.id)}
                    />
                  ) : (
                    <div className="empty-hint">
                      {selected.length > 1 ? t('manySelected', { count: selected.length }) : t('nothingSelected')}
                    </div>
                  )}
                </div>
              </RevealErrorsContext.Provider>
            </aside>
          </div>
          {galleryOpen && <TemplatesGallery onCreated={onOpenJourney} onClose={() => setGalleryOpen(false)} />}
          {publishing && journeyId && (
            <PublishDialog
              journeyId={journeyId}
              saveDraft={flushDraft}
              onPublish={(notes) => void onPublish(notes)}
              onCancel={() => setPublishing(false)}
            />
          )}
          {offerSchedule && journeyId && (
            <ScheduleOffer journeyId={journeyId} onClose={() => setOfferSchedule(false)} />
          )}
          {simulating && journeyId && (
            <Suspense fallback={null}>
              <SimulatePanel
                journeyId={journeyId}
                graph={() => toGraph(doc)}
                nodeTitle={nodeTitle}
                onSelectNode={editor.selectNode}
                onResult={(sim) => setSimFigures(simulationFigures(sim))}
                initialCustomerId={simulateCustomerId ?? undefined}
                onClose={() => {
                  setSimulating(false);
                  if (simulateCustomerId !== null) navigate(paths.journey(journeyId), { replace: true });
                }}
              />
            </Suspense>
          )}
          {toast && (
            <div className="toast" role="status" data-testid="toast">
              {toast}
            </div>
          )}
        </div>
      </NodeErrorsContext.Provider>
    </EditorContexts>
  );
}
