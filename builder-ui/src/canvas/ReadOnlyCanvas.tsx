import { useCallback, useEffect } from 'react';
import type { NodeChange } from '@xyflow/react';
import { applyNodeChanges, useStoreApi } from '@xyflow/react';
import type { Dispatch, SetStateAction } from 'react';
import type { FlowNode, JourneyDoc } from '../journey/model.ts';
import { Canvas } from './Canvas.tsx';
import { useReadableFit } from './useReadableFit.ts';

const ignore = () => undefined;
const FOLLOW_FIT_MS = 3000;

/** A published graph shown, never edited: only selection and measuring change it (monitor, journey report). */
export function ReadOnlyCanvas({
  doc,
  setDoc,
}: {
  doc: JourneyDoc;
  setDoc: Dispatch<SetStateAction<JourneyDoc | null>>;
}) {
  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) =>
      setDoc(
        (d) =>
          d && {
            ...d,
            nodes: applyNodeChanges(
              changes.filter((c) => c.type === 'select' || c.type === 'dimensions'),
              d.nodes,
            ),
          },
      ),
    [setDoc],
  );

  // A graph arriving opens at a readable zoom, entry first. The monitor and the report also ask React
  // Flow to fitView, which it runs whenever it has measured the nodes: for a while, ours follows it.
  const fit = useReadableFit();
  const store = useStoreApi();
  const graphKey = doc.nodes.map((n) => n.id).join(',');
  useEffect(() => {
    if (graphKey === '') return;
    const timers = [setTimeout(fit, 160)];
    const unsubscribe = store.subscribe((state, prev) => {
      if (prev.fitViewQueued && !state.fitViewQueued) timers.push(setTimeout(fit, 30));
    });
    timers.push(setTimeout(unsubscribe, FOLLOW_FIT_MS));
    return () => {
      timers.forEach(clearTimeout);
      unsubscribe();
    };
  }, [graphKey, fit, store]);

  return (
    <Canvas
      nodes={doc.nodes}
      edges={doc.edges}
      readOnly
      onNodesChange={onNodesChange}
      onEdgesChange={ignore}
      onConnect={ignore}
      onNodeDragStart={ignore}
      onDropType={ignore}
    />
  );
}
