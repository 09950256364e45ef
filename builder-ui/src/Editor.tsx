import { useCallback, useEffect, useMemo, useState } from 'react';
import type { NodeChange } from '@xyflow/react';
import { applyNodeChanges, useReactFlow } from '@xyflow/react';
import type { GraphError } from '@huitou/schemas';
import type { PublishedVersion } from './api.ts';
import { getTemplate, listVersions, publish, saveDraft } from './api.ts';
import { Canvas } from './canvas/Canvas.tsx';
import { NodeErrorsContext, ReadOnlyContext } from './canvas/contexts.ts';
import { Palette } from './canvas/Palette.tsx';
import { useI18n } from './i18n.ts';
import { NodeInspector } from './inspector/NodeInspector.tsx';
import type { FlowNode, JourneyDoc } from './journey/model.ts';
import { blankDoc, fromGraph, toGraph } from './journey/model.ts';
import { useJourneyEditor } from './journey/useJourneyEditor.ts';
import { useLiveValidation } from './journey/useLiveValidation.ts';
import { useShortcuts } from './journey/useShortcuts.ts';
import { ProblemsPanel } from './panels/ProblemsPanel.tsx';
import { SettingsPanel } from './panels/SettingsPanel.tsx';
import { TemplatesGallery } from './panels/TemplatesGallery.tsx';
import { TopBar } from './panels/TopBar.tsx';
import { nodeTypeOf } from '@huitou/schemas';

const NO_ERRORS = new Map<string, readonly GraphError[]>();
const AUTOSAVE_MS = 600;

type Tab = 'node' | 'settings';

/** A published version shown read-only; only selection and measuring change it. */
interface Viewing {
  readonly version: PublishedVersion;
  readonly doc: JourneyDoc;
}

export function Editor({ initial, startWithGallery }: { initial: JourneyDoc; startWithGallery: boolean }) {
  const i18n = useI18n();
  const { t, l } = i18n;
  const editor = useJourneyEditor(() => initial, i18n.lang);
  const { doc, history } = editor;
  const validation = useLiveValidation(doc);
  const flow = useReactFlow();

  const [viewOnly, setViewOnly] = useState(false);
  const [viewing, setViewing] = useState<Viewing | null>(null);
  const [versions, setVersions] = useState<PublishedVersion[]>([]);
  const [galleryOpen, setGalleryOpen] = useState(startWithGallery);
  const [tab, setTab] = useState<Tab>('node');
  const [toast, setToast] = useState<string | null>(null);
  const [savedAt, setSavedAt] = useState<string | null>(null);

  const readOnly = viewOnly || viewing !== null;
  const shown = viewing?.doc ?? doc;
  const selected = shown.nodes.filter((n) => n.selected);
  const selectedKey = selected.map((n) => n.id).join(',');

  useEffect(() => {
    void listVersions().then(setVersions);
  }, []);

  // Fit a loaded draft once; not React Flow's fitView prop, which would also jump the viewport
  // when the first node lands on an empty canvas.
  const fitView = editor.fitView;
  useEffect(() => {
    if (initial.nodes.length === 0) return;
    const timer = setTimeout(fitView, 80);
    return () => clearTimeout(timer);
  }, [initial, fitView]);

  // Drafts save themselves; the API will take the same call.
  useEffect(() => {
    const timer = setTimeout(() => void saveDraft(toGraph(doc)).then((r) => setSavedAt(r.savedAt)), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [doc]);

  // Selecting a node brings its form forward.
  useEffect(() => {
    if (selectedKey !== '') setTab('node');
  }, [selectedKey]);

  useEffect(() => {
    if (toast === null) return;
    const timer = setTimeout(() => setToast(null), 3000);
    return () => clearTimeout(timer);
  }, [toast]);

  const shortcuts = useMemo(
    () => ({ readOnly, undo: history.undo, redo: history.redo, copy: editor.copy, paste: editor.paste, deleteSelection: editor.deleteSelection }),
    [readOnly, history.undo, history.redo, editor.copy, editor.paste, editor.deleteSelection],
  );
  useShortcuts(shortcuts);

  const onViewingNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    setViewing((v) => v && { ...v, doc: { ...v.doc, nodes: applyNodeChanges(changes.filter((c) => c.type === 'select' || c.type === 'dimensions'), v.doc.nodes) } });
  }, []);

  const viewVersion = (version: number | null) => {
    const found = versions.find((v) => v.version === version);
    setViewing(found ? { version: found, doc: fromGraph(found.graph) } : null);
    setTimeout(() => void flow.fitView({ padding: 0.2, maxZoom: 1.1 }), 60);
  };

  const onPublish = async () => {
    const result = await publish(toGraph(doc));
    if (!result.ok) {
      setToast(t('publishBlocked', { count: result.errors.length }));
      return;
    }
    setVersions(await listVersions());
    setViewing({ version: result.version, doc: fromGraph(result.version.graph) });
    setToast(t('published', { version: result.version.version }));
  };

  const applyTemplate = async (id: string) => {
    editor.replaceWith(await getTemplate(id));
    setGalleryOpen(false);
    setViewing(null);
  };

  const nodeTitle = (id: string) => {
    const node = doc.nodes.find((n) => n.id === id);
    if (!node) return null;
    const name = node.data.config.name;
    return node.data.label ?? (typeof name === 'string' && name !== '' ? name : l(nodeTypeOf(node.data.type).label));
  };

  const single = selected.length === 1 ? selected[0] : undefined;
  const otherNodes = shown.nodes.filter((n) => n.id !== single?.id).map((n) => ({ id: n.id, label: nodeTitle(n.id) ?? n.id }));

  return (
    <ReadOnlyContext.Provider value={readOnly}>
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
            viewingVersion={viewing?.version.version ?? null}
            onRename={editor.rename}
            onUndo={history.undo}
            onRedo={history.redo}
            onLayout={editor.autoLayout}
            onFit={editor.fitView}
            onTemplates={() => setGalleryOpen(true)}
            onToggleViewOnly={() => setViewOnly((v) => !v)}
            onViewVersion={viewVersion}
            onPublish={() => void onPublish()}
          />
          <div className="workspace">
            <Palette disabled={readOnly} onAdd={(type) => editor.addNode(type)} />
            <main className="center">
              {readOnly && (
                <div className="readonly-banner" data-testid="readonly-banner">
                  <span>{viewing ? t('readOnlyBanner', { version: viewing.version.version }) : t('readOnlyDraftBanner')}</span>
                  <button type="button" className="btn btn-small" onClick={() => (viewing ? viewVersion(null) : setViewOnly(false))}>
                    {viewing ? t('backToDraft') : t('editMode')}
                  </button>
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
              {!viewing && <ProblemsPanel errors={validation.errors} nodeTitle={nodeTitle} onSelectNode={editor.selectNode} onOpenSettings={() => setTab('settings')} />}
            </main>
            <aside className="sidepanel">
              <div className="tabs" role="tablist">
                <button type="button" role="tab" aria-selected={tab === 'node'} className={`tab ${tab === 'node' ? 'is-on' : ''}`} onClick={() => setTab('node')} data-testid="tab-node">
                  {t('tabNode')}
                </button>
                <button type="button" role="tab" aria-selected={tab === 'settings'} className={`tab ${tab === 'settings' ? 'is-on' : ''}`} onClick={() => setTab('settings')} data-testid="tab-settings">
                  {t('tabSettings')}
                </button>
              </div>
              <div className="sidepanel-body">
                {tab === 'settings' ? (
                  <SettingsPanel settings={shown.settings} errors={viewing ? [] : validation.errors} readOnly={readOnly} onChange={editor.updateSettings} />
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
                  <div className="empty-hint">{selected.length > 1 ? t('manySelected', { count: selected.length }) : t('nothingSelected')}</div>
                )}
              </div>
            </aside>
          </div>
          {galleryOpen && (
            <TemplatesGallery
              onUse={(id) => void applyTemplate(id)}
              onBlank={() => {
                editor.replaceWith(toGraph(blankDoc(t('untitledJourney'))));
                setGalleryOpen(false);
              }}
              onClose={() => setGalleryOpen(false)}
            />
          )}
          {toast && (
            <div className="toast" role="status" data-testid="toast">
              {toast}
            </div>
          )}
        </div>
      </NodeErrorsContext.Provider>
    </ReadOnlyContext.Provider>
  );
}
