import { useCallback, useEffect } from 'react';
import type { NodeChange } from '@xyflow/react';
import { applyNodeChanges } from '@xyflow/react';
import type { Dispatch, SetStateAction } from 'react';
import type { FlowNode, JourneyDoc } from '../journey/model.ts';
import { Canvas } from './Canvas.tsx';
import { useReadableFit } from './useReadableFit.ts';

const ignore = () => undefined;

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

  // A graph arriving opens at a readable zoom, entry first (once React Flow has measured its cards).
  const fit = useReadableFit();
  const graphKey = doc.nodes.map((n) => n.id).join(',');
  useEffect(() => {
    if (graphKey === '') return;
    const timer = setTimeout(fit, 160);
    return () => clearTimeout(timer);
  }, [graphKey, fit]);

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
