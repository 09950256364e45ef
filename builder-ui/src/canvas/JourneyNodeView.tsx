import { memo, useContext, useEffect, useRef } from 'react';
import type { NodeProps } from '@xyflow/react';
import { Handle, Position, useUpdateNodeInternals } from '@xyflow/react';
import { nodeTypeOf } from '@huitou/schemas';
import { useI18n } from '../i18n.ts';
import { nodeSummary, nodeTitleOf } from '../journey/describe.ts';
import type { FlowNode } from '../journey/model.ts';
import { fieldsOf, portsOf } from '../journey/model.ts';
import { portName } from '../messages.ts';
import { NodeCountsContext, ReadOnlyContext, SimulationFiguresContext, useNodeErrors } from './contexts.ts';
import { Icon } from './icons.tsx';
import { NodeFigures } from './NodeFigures.tsx';

/**
 * A journey node card: title, its key setting, problems, one source handle per output port, and a
 * footer of figures (live counts while monitoring, NodeFooterContext for anything else).
 */
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

  const title = nodeTitleOf(data, i18n.l);
  const summary = nodeSummary(data, i18n);
  // A message reads as a phone bubble; an SMS not written yet shows its type's description plainly.
  const isSms = fieldsOf(data.type).some((f) => f.hint.widget === 'sms_template' && data.config[f.key] === summary);
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
          <div className="jnode-title" title={title}>
            {title}
          </div>
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
      {/* Clamped to whole lines (the clamp sits inside the padding); the full text is the tooltip. */}
      <div className={`jnode-summary ${isSms ? 'is-sms' : ''}`} title={summary}>
        <div className="jnode-summary-text" data-testid="node-summary">
          {summary}
        </div>
      </div>
      {counts && (
        <NodeFigures
          data-testid="node-counts"
          data-entered={count?.entered ?? 0}
          data-waiting={count?.waiting ?? 0}
          data-exited={count?.exited ?? 0}
          figures={[
            { key: 'waiting', label: i18n.t('figWaiting'), value: count?.waiting ?? 0, lead: true },
            { key: 'exited', label: i18n.t('figExited'), value: count?.exited ?? 0 },
            { key: 'entered', label: i18n.t('figEntered'), value: count?.entered ?? 0 },
          ]}
        />
      )}
      {simulated && !counts && (
        <NodeFigures
          className="jnode-figures jnode-sim"
          data-testid="node-sim-figures"
          data-reached={simulated.reached}
          data-sent={simulated.sent ?? ''}
          title={
            simulated.sent === null
              ? i18n.t('simCardReached', { reached: simulated.reached })
              : i18n.t('simCardFigures', { reached: simulated.reached, sent: simulated.sent })
          }
          figures={[
            { key: 'reached', label: i18n.t('simFigReached'), value: simulated.reached },
            ...(simulated.sent === null ? [] : [{ key: 'sent', label: i18n.t('simFigSent'), value: simulated.sent }]),
          ]}
        />
      )}
      {/* A lone "next" port needs no caption: its handle sits on the card's right edge. */}
      {ports.length === 1 && ports[0] === 'out' ? (
        <Handle
          type="source"
          position={Position.Right}
          id="out"
          className="jnode-source"
          isConnectable={!readOnly}
          data-port="out"
          title={portName('out', i18n, data)}
        />
      ) : ports.length > 0 ? (
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
      ) : null}
    </div>
  );
}

export const JourneyNodeView = memo(JourneyNodeViewImpl);
