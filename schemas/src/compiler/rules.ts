import type { GraphError, GraphErrorCode } from '../errors.ts';
import { graphError } from '../errors.ts';
import type { JourneyGraph, JourneyNode, JourneyNodeOf } from '../graph.ts';
import { nodeTypeOf } from '../registry.ts';
import { conditionNeeds } from '../segment.ts';
import { previewParts } from '../sms/compose.ts';
import { SMS_LIMITS } from '../sms/counter.ts';
import { parseTemplate } from '../sms/template.ts';
import { isTemplateVariable, templateVariables } from '../sms/variables.ts';
import type { TemplateVariable } from '../sms/variables.ts';
import type { Topology } from './topology.ts';
import { dominatorsOf, reach } from './topology.ts';

/** Rules over a structurally sound graph; each returns its errors, none throws. */
export function checkRules(graph: JourneyGraph, topo: Topology): GraphError[] {
  const errors: GraphError[] = [];
  const entry = (topo.nodes.get(topo.entryId) as { node: JourneyNode }).node;
  for (const id of topo.order) {
    const { node, index } = topo.nodes.get(id) as { node: JourneyNode; index: number };
    const at = (path: readonly (string | number)[]) => ['nodes', index, 'config', ...path];
    const err = (
      code: GraphErrorCode,
      path: readonly (string | number)[],
      params?: Readonly<Record<string, string | number>>,
    ) => graphError(code, at(path), params, id);
    const def = nodeTypeOf(node.type);
    errors.push(...(def.check?.(node.config, { error: err }) ?? []));
    errors.push(...checkConditions(node, topo, entry, err));
    if (node.type !== 'action.sms') errors.push(...checkTemplateSources(node, graph, topo, entry, err));
    if (node.type === 'action.sms') errors.push(...checkSms(node, graph, topo, entry, err));
    if (node.type === 'wait.event') errors.push(...checkWaitEvent(node, entry, err));
    if (node.type === 'eval.checkpoint') errors.push(...checkCheckpoint(node, topo, err));
  }
  if (graph.nodes.some((n) => n.type === 'action.sms') && graph.settings.sms.signature === undefined) {
    errors.push(graphError('SMS_SIGNATURE_MISSING', ['settings', 'sms', 'signature']));
  }
  return errors;
}

type Err = (
  code: GraphErrorCode,
  path: readonly (string | number)[],
  params?: Readonly<Record<string, string | number>>,
) => GraphError;

function checkConditions(node: JourneyNode, topo: Topology, entry: JourneyNode, err: Err): GraphError[] {
  const def = nodeTypeOf(node.type);
  const inLoop = (topo.loopsOf.get(node.id) ?? []).length > 0 || node.type === 'loop.repeat';
  const out: GraphError[] = [];
  for (const { path, condition } of def.conditions?.(node.config) ?? []) {
    const needs = conditionNeeds(condition);
    if (needs.cycleStart && !inLoop) out.push(err('CONDITION_NEEDS_CYCLE', path));
    if (needs.triggerOrder && entry.type !== 'entry.event') out.push(err('CONDITION_NEEDS_TRIGGER_ORDER', path));
  }
  return out;
}

function checkSms(
  node: JourneyNodeOf<'action.sms'>,
  graph: JourneyGraph,
  topo: Topology,
  entry: JourneyNode,
  err: Err,
): GraphError[] {
  const parsed = parseTemplate(node.config.template);
  if (!parsed.ok) return [err('TEMPLATE_SYNTAX', ['template'], { offset: parsed.offset, reason: parsed.reason })];
  const out: GraphError[] = [];
  const couponBefore = dominatorsOf(topo, node.id).some((id) => topo.nodes.get(id)?.node.type === 'action.coupon');
  for (const part of parsed.parts) {
    if (part.kind !== 'var') continue;
    const name = part.name;
    if (!isTemplateVariable(name)) {
      out.push(err('TEMPLATE_UNKNOWN_VARIABLE', ['template'], { name }));
      continue;
    }
    // A coupon in a notification SMS is a promotion; said instead of the coupon node it would need.
    const promotion = templateVariables[name].source === 'coupon' && node.config.smsClass === 'notification';
    if (promotion) out.push(err('SMS_NOTIFICATION_PROMOTION', ['template'], { name }));
    for (const [code] of variableSourceErrors(name, { couponBefore, graph, entry }))
      if (!(promotion && code === 'TEMPLATE_NEEDS_COUPON')) out.push(err(code, ['template'], { name }));
  }
  const envelope = {
    signature: graph.settings.sms.signature ?? '',
    optOutSuffix: graph.settings.sms.optOutSuffix,
    smsClass: node.config.smsClass,
  };
  const preview = previewParts(parsed.parts, envelope, 0);
  if (preview.ok && preview.count.tooLong) {
    out.push(
      err('SMS_TOO_LONG', ['template'], {
        units: preview.count.units,
        max: SMS_LIMITS[preview.count.encoding].maxUnits,
      }),
    );
  }
  return out;
}

/**
 * What a template's variables need in the graph, for the templates a node type declares (e-mail,
 * a custom channel): a coupon node on every path before it, the journey's link, an event entry.
 * SMS checks the same (and its own class and length) in checkSms.
 */
function checkTemplateSources(
  node: JourneyNode,
  graph: JourneyGraph,
  topo: Topology,
  entry: JourneyNode,
  err: Err,
): GraphError[] {
  const templates = nodeTypeOf(node.type).templates?.(node.config) ?? [];
  if (templates.length === 0) return [];
  const couponBefore = dominatorsOf(topo, node.id).some((id) => topo.nodes.get(id)?.node.type === 'action.coupon');
  return templates.flatMap(({ path, template }) => {
    const parsed = parseTemplate(template);
    if (!parsed.ok) return [];
    return parsed.parts.flatMap((part) =>
      part.kind === 'var' && isTemplateVariable(part.name)
        ? variableSourceErrors(part.name, { couponBefore, graph, entry }).map(([code, name]) =>
            err(code, path, { name }),
          )
        : [],
    );
  });
}

/** The graph a variable's value comes from, missing: each as the error code to report. */
function variableSourceErrors(
  name: TemplateVariable,
  at: { couponBefore: boolean; graph: JourneyGraph; entry: JourneyNode },
): [GraphErrorCode, string][] {
  const source = templateVariables[name].source;
  const out: [GraphErrorCode, string][] = [];
  if (source === 'coupon' && !at.couponBefore) out.push(['TEMPLATE_NEEDS_COUPON', name]);
  if (name === 'link' && at.graph.settings.sms.link === undefined) out.push(['TEMPLATE_NEEDS_LINK', name]);
  if (source === 'trigger_order' && at.entry.type !== 'entry.event') out.push(['TEMPLATE_NEEDS_TRIGGER_ORDER', name]);
  return out;
}

/** Later events reach a run by its trigger key, so only event-triggered runs can wait for one. */
function checkWaitEvent(node: JourneyNodeOf<'wait.event'>, entry: JourneyNode, err: Err): GraphError[] {
  if (entry.type !== 'entry.event') return [err('WAIT_EVENT_UNCORRELATED', ['event'], { event: node.config.event })];
  if (entry.config.triggerKey === 'order_id' && entry.config.event === node.config.event) {
    return [err('WAIT_EVENT_IS_TRIGGER', ['event'], { event: node.config.event })];
  }
  return [];
}

/** Every forward path to the checkpoint passes an anchor, and anchors sit in the checkpoint's loop. */
function checkCheckpoint(node: JourneyNodeOf<'eval.checkpoint'>, topo: Topology, err: Err): GraphError[] {
  const out: GraphError[] = [];
  const anchors = new Set(node.config.anchors);
  const preds = (id: string) => topo.forwardPreds.get(id) ?? [];
  // Walk back from the checkpoint, stopping at anchors: reaching the entry means a path bypasses them all.
  const behind = reach(node.id, (id) => (id !== node.id && anchors.has(id) ? [] : preds(id)));
  let ancestors: Set<string> | undefined; // the full set, only needed for anchors hidden behind other anchors
  const isAncestor = (id: string) => {
    if (id === node.id) return false;
    if (behind.has(id)) return true;
    ancestors ??= reach(node.id, preds);
    return ancestors.has(id);
  };
  const loops = (topo.loopsOf.get(node.id) ?? []).join('/');
  node.config.anchors.forEach((anchor, i) => {
    if (!topo.nodes.has(anchor)) out.push(err('CHECKPOINT_ANCHOR_UNKNOWN', ['anchors', i], { id: anchor }));
    else if (!isAncestor(anchor)) out.push(err('CHECKPOINT_ANCHOR_NOT_UPSTREAM', ['anchors', i], { id: anchor }));
    else if ((topo.loopsOf.get(anchor) ?? []).join('/') !== loops)
      out.push(err('CHECKPOINT_ANCHOR_SCOPE', ['anchors', i], { id: anchor }));
  });
  if (out.length === 0 && !anchors.has(topo.entryId) && behind.has(topo.entryId)) {
    out.push(err('CHECKPOINT_ANCHOR_NOT_UPSTREAM', ['anchors'], { id: node.config.anchors.join(', ') }));
  }
  return out;
}
