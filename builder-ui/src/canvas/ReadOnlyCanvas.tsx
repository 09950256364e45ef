import { useCallback } from 'react';
import type { NodeChange } from '@xyflow/react';
import { applyNodeChanges } from '@xyflow/react';
import type { Dispatch, SetStateAction } from 'react';
import type { FlowNode, JourneyDoc } from '../journey/model.ts';
import { Canvas } from './Canvas.tsx';

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
