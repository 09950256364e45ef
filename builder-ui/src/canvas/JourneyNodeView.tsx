import { memo, useContext, useEffect, useRef } from 'react';
import type { NodeProps } from '@xyflow/react';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import { nodeTypeOf } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { nodeSummary } from '../journey/describe.ts';
import type { FlowNode } from '../journey/model.ts';
import { portName } from '../messages.ts';
import { portsOf } from '../journey/model.ts';
import { NodeCountsContext, ReadOnlyContext, SimulationFiguresContext, useNodeErrors } from './contexts.ts';
import { Icon } from './icons.tsx';

/** A journey node card: title, one-line summary, problems, and one source handle per output port. */
function JourneyNodeViewImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const i18n = useI18n();
  const errors = useNodeErrors(id);
  const readOnly = useContext(ReadOnlyContext);
  const counts = useContext(NodeCountsContext);
  const count = counts?.get(id);
  const simulated = useContext(SimulationFiguresContext)?.get(id);
  const def = nodeTypeOf(data.type);
  const ports = portsOf(data);
  const portsKey = ports.join('|');

  // Handles come and go with the config (split branches): React Flow must re-measure them. Not on
  // mount (React Flow measures a new node itself): one call per node there made opening a
  // 300-node journey quadratic, every call notifying every node's store subscription.
  const updateNodeInternals = useUpdateNodeInternals();
  const measuredPorts = useRef(portsKey);
  useEffect(() => {
    if (measuredPorts.current === portsKey) return;
    measuredPorts.current = portsKey;
    updateNodeInternals(id);
  }, [id, portsKey, updateNodeInternals]);

  const title =
    data.label ??
    (typeof data.config.name === 'string' && data.config.name !== '' ? data.config.name : i18n.l(def.label));
  const classes = ['jnode', `cat-${def.category}`, selected ? 'is-selected' : '', errors.length > 0 ? 'has-errors' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <div className={classes} data-testid={`node-${id}`} data-node-type={data.type}>
      {def.category !== 'entry' && (
        <Handle type="target" position={Position.Left} className="jnode-target" isConnectable={!readOnly} />
      )}
      <div className="jnode-head">
        <span className="jnode-icon">
          <Icon name={def.icon} />
        </span>
        <div className="jnode-titles">
          <div className="jnode-title">{title}</div>
          <div className="jnode-type">{i18n.l(def.label)}</div>
        </div>
        {errors.length > 0 && (
          <span
            className="jnode-badge"
            title={errors.map((e) => i18n.l(e.message)).join('\n')}
            data-testid="node-error-badge"
          >
            {errors.length}
          </span>
        )}
      </div>
      <div className="jnode-summary">{nodeSummary(data, i18n)}</div>
      {counts && (
        <div
          className="jnode-counts"
          data-testid="node-counts"
          data-entered={count?.entered ?? 0}
          data-waiting={count?.waiting ?? 0}
          data-exited={count?.exited ?? 0}
        >
          <span>{i18n.t('countEntered', { count: count?.entered ?? 0 })}</span>
          <span>{i18n.t('countWaiting', { count: count?.waiting ?? 0 })}</span>
          <span>{i18n.t('countExited', { count: count?.exited ?? 0 })}</span>
        </div>
      )}
      {simulated && !counts && (
        <div
          className="jnode-sim"
          data-testid="node-sim-figures"
          data-reached={simulated.reached}
          data-sent={simulated.sent ?? ''}
        >
          {simulated.sent === null
            ? i18n.t('simCardReached', { reached: simulated.reached })
            : i18n.t('simCardFigures', { reached: simulated.reached, sent: simulated.sent })}
        </div>
      )}
      {ports.length > 0 && (
        <div className="jnode-ports">
          {ports.map((port) => (
            <div className="jnode-port" key={port}>
              <span>{portName(port, i18n, data)}</span>
              <Handle
                type="source"
                position={Position.Right}
                id={port}
                className="jnode-source"
                isConnectable={!readOnly}
                data-port={port}
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const JourneyNodeView = memo(JourneyNodeViewImpl);
