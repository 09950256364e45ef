// Plain words for everything the engine and the compiler say in codes: journey problems, zod issues,
// API errors, JSON typos, port names and run states. One module, so no English or raw code leaks.
import type { GraphError, GraphErrorCode, JourneyGraphInput, LocalizedText } from '@huitou/schemas';
import { formFields, isNodeTypeId, nodeTypeIds, nodeTypeOf, orderEventLabels } from '@huitou/schemas';
import type { I18n, Lang, MessageKey, Params } from './i18n.ts';
import { catalogue, makeI18n, translate } from './i18n.ts';
import { jsonErrorOffset } from './inspector/json-syntax.ts';
import { fixedPortKeys, nodeTitleOf, portLabel } from './journey/describe.ts';
import type { JourneyNodeData } from './journey/model.ts';

/** What the words need to know about the journey: a node's data by id. */
export interface ProblemContext {
  readonly node: (id: string) => JourneyNodeData | undefined;
}

/** Every compiler problem code → its plain sentence; a missing code fails the type check. */
export const problemKeys: Record<GraphErrorCode, MessageKey | null> = {
  SCHEMA_INVALID: null, // worded from its zod issue
  NODE_CONFIG_INVALID: null,
  UNKNOWN_NODE_TYPE: 'pwUnknownNodeType',
  DUPLICATE_NODE_ID: 'pwDuplicateNode',
  EDGE_UNKNOWN_NODE: 'pwEdgeMissingNode',
  EDGE_UNKNOWN_PORT: 'pwEdgeMissingPort',
  PORT_MULTIPLY_CONNECTED: 'pwPortTwice',
  ENTRY_MISSING: 'pwEntryMissing',
  ENTRY_MULTIPLE: 'pwEntryMultiple',
  ENTRY_HAS_INCOMING: 'pwEntryIncoming',
  NODE_UNREACHABLE: 'pwUnreachable',
  PORT_UNCONNECTED: 'pwPortOpen',
  CYCLE_OUTSIDE_REPEAT: 'pwLoop',
  LOOP_BODY_NOT_RETURNING: 'pwLoopNoReturn',
  LOOP_BODY_ENTERED_FROM_OUTSIDE: 'pwLoopEnteredOutside',
  WAIT_EVENT_UNCORRELATED: 'pwWaitNeedsOrder',
  WAIT_EVENT_IS_TRIGGER: 'pwWaitIsTrigger',
  TEMPLATE_SYNTAX: 'pwTemplateSyntax',
  TEMPLATE_UNKNOWN_VARIABLE: 'pwTemplateVariable',
  TEMPLATE_NEEDS_COUPON: 'pwTemplateCoupon',
  TEMPLATE_NEEDS_LINK: 'pwTemplateLink',
  TEMPLATE_NEEDS_TRIGGER_ORDER: 'pwTemplateOrder',
  SMS_NOTIFICATION_PROMOTION: 'pwNotificationPromo',
  SMS_SIGNATURE_MISSING: 'pwSignatureMissing',
  SMS_TOO_LONG: 'pwSmsTooLong',
  RANDOM_SPLIT_SUM: 'pwSplitSum',
  DUPLICATE_PORT_KEY: 'pwBranchTwice',
  CHECKPOINT_ANCHOR_UNKNOWN: 'pwStartGone',
  CHECKPOINT_ANCHOR_NOT_UPSTREAM: 'pwStartNotBefore',
  CHECKPOINT_ANCHOR_SCOPE: 'pwStartOtherLoop',
  CONDITION_NEEDS_CYCLE: 'pwConditionCycle',
  CONDITION_NEEDS_TRIGGER_ORDER: 'pwConditionOrder',
  CATEGORY_UNKNOWN: 'pwCategoryUnknown',
  SAVED_SEGMENT_UNKNOWN: 'pwSavedSegmentUnknown',
  SAVED_SEGMENT_ARCHIVED: 'pwSavedSegmentArchived',
  COUPON_POOL_UNKNOWN: 'pwCouponPoolUnknown',
  COUPON_POOL_VALUE: 'pwCouponPoolValue',
  JOURNEY_TOO_LONG: 'pwTooLong',
  INTERNAL_ERROR: 'pwInternal',
};

/** Journey settings fields (SettingsPanel's labels), by their path under `settings`. */
const settingsLabels: Record<string, MessageKey> = {
  holdoutPercent: 'holdout',
  quietHours: 'quietHours',
  countsTowardFrequencyCap: 'frequencyCap',
  'sms.signature': 'signature',
  'sms.link': 'shopLink',
  'sms.unitPrice': 'unitPrice',
  'sms.optOutSuffix': 'optOutSuffix',
  goal: 'goal',
  timeZone: 'timeZone',
};

/** The label of a node type's config field, as the inspector shows it. */
function configFieldLabel(type: string, key: string): LocalizedText | null {
  if (!isNodeTypeId(type)) return null;
  return formFields(nodeTypeOf(type).config).find((f) => f.key === key)?.hint.label ?? null;
}

/** The field a problem is about, by its UI label (never its key path); null when it is not one field. */
export function fieldLabelOf(error: GraphError, ctx: ProblemContext): LocalizedText | null {
  const [root, , part, key] = error.path;
  if (root === 'name') return catalogue.journeyName;
  if (root === 'settings') {
    const at = settingsLabels[error.path.slice(1, 3).join('.')] ?? settingsLabels[String(error.path[1])];
    return at === undefined ? null : catalogue[at];
  }
  if (root !== 'nodes' || error.nodeId === undefined) return null;
  if (part === 'label') return catalogue.nodeLabel;
  const data = ctx.node(error.nodeId);
  if (part !== 'config' || typeof key !== 'string' || data === undefined) return null;
  return configFieldLabel(data.type, key);
}

/** The label of a field named only by a request path (API errors): settings, journey name, any node field. */
export function fieldLabelOfPath(path: readonly (string | number)[]): LocalizedText | null {
  const keys = path.filter((p): p is string => typeof p === 'string' && !['body', 'query', 'params'].includes(p));
  const settingsAt = keys.indexOf('settings');
  if (settingsAt >= 0) {
    const rest = keys.slice(settingsAt + 1);
    const at = settingsLabels[rest.slice(0, 2).join('.')] ?? settingsLabels[rest[0] ?? ''];
    if (at !== undefined) return catalogue[at];
  }
  const configAt = keys.indexOf('config');
  const configKey = configAt >= 0 ? keys[configAt + 1] : undefined;
  if (configKey !== undefined) {
    const typeAt = path.findIndex((p) => typeof p === 'string' && isNodeTypeId(p));
    for (const type of typeAt >= 0 ? [String(path[typeAt])] : nodeTypeIds) {
      const label = configFieldLabel(type, configKey);
      if (label) return label;
    }
  }
  if (keys.length === 1 && keys[0] === 'name') return catalogue.journeyName;
  return null;
}

/** Words for what a zod issue expected ("a number"...). */
const expectedKeys: Record<string, MessageKey> = {
  string: 'pwTypeText',
  number: 'pwTypeNumber',
  int: 'pwTypeInteger',
  bigint: 'pwTypeInteger',
  boolean: 'pwTypeSwitch',
  array: 'pwTypeList',
  tuple: 'pwTypeList',
  set: 'pwTypeList',
  object: 'pwTypeGroup',
  record: 'pwTypeGroup',
  map: 'pwTypeGroup',
};

/** The schemas' own refinement messages (English, for API clients), by their text. */
const customKeys: readonly [RegExp, MessageKey][] = [
  [/must not (exceed|be after)/, 'pwRangeOrder'],
  [/give from, to or both/, 'pwWindowEmpty'],
  [/must differ/, 'pwWindowSame'],
  [/nest .* deep/, 'pwTooDeep'],
  [/conditions; at most/, 'pwTooMany'],
  [/minimum spend must exceed/, 'pwSpendAboveAmount'],
  [/weekly schedules need a weekday/, 'pwWeekday'],
  [/monthly schedules need a day of month/, 'pwDayOfMonth'],
  [/ratings only apply/, 'pwRatingsOnReviews'],
  [/at most 366 days/, 'pwLongest366'],
  [/time zone/, 'pwTimeZone'],
  [/control or bidi/, 'pwBadCharacters'],
  [/lostAfterDays/, 'pwRfmOrder'],
];

/**
 * A zod issue (as the compiler's flat params: issue, expected, origin, minimum, maximum, format...)
 * in plain words about the field labelled `field`.
 */
export function issueText(params: Params, field: LocalizedText | null): LocalizedText {
  const say = (key: MessageKey, extra: Params = {}): LocalizedText => {
    const name = field ?? catalogue.pwThisField;
    return {
      zh: translate('zh', key, { ...extra, field: name.zh }),
      en: translate('en', key, { ...extra, field: name.en }),
    };
  };
  const origin = String(params.origin ?? '');
  const list = ['array', 'set'].includes(origin);
  const text = origin === 'string';
  switch (params.issue) {
    case 'invalid_type': {
      if (params.missing) return say('pwRequired');
      const key = expectedKeys[String(params.expected)] ?? 'pwTypeOther';
      return {
        zh: say('pwWrongType', { expected: catalogue[key].zh }).zh,
        en: say('pwWrongType', { expected: catalogue[key].en }).en,
      };
    }
    case 'too_small': {
      const n = Number(params.minimum);
      if ((text || list) && n <= 1) return say(text ? 'pwEmpty' : 'pwListMin', { n: 1 });
      return say(text ? 'pwTextMin' : list ? 'pwListMin' : params.inclusive === 0 ? 'pwNumberAbove' : 'pwNumberMin', {
        n,
      });
    }
    case 'too_big':
      return say(text ? 'pwTextMax' : list ? 'pwListMax' : params.inclusive === 0 ? 'pwNumberBelow' : 'pwNumberMax', {
        n: Number(params.maximum),
      });
    case 'invalid_value':
    case 'invalid_enum_value':
      return say('pwChoose');
    case 'invalid_format':
      return say(params.format === 'url' ? 'pwFormatUrl' : params.format === 'datetime' ? 'pwFormatTime' : 'pwFormat');
    case 'not_multiple_of':
      return say('pwMultiple', { n: Number(params.divisor) });
    case 'unrecognized_keys':
      return say('pwUnknownKeys');
    case 'custom': {
      const hit = customKeys.find(([re]) => re.test(String(params.detail ?? '')));
      return say(hit ? hit[1] : 'pwInvalid');
    }
    default:
      return say('pwInvalid');
  }
}

/** A problem's port param as the canvas names it (branch names, 下一步, 超时...). */
function portWords(error: GraphError, ctx: ProblemContext): Params {
  const port = error.params?.port;
  if (port === undefined) return {};
  const data = error.nodeId === undefined ? undefined : ctx.node(error.nodeId);
  const l = (lang: Lang) =>
    portName(
      String(port),
      makeI18n(lang, () => undefined),
      data,
    );
  return { zhPort: l('zh'), enPort: l('en') };
}

/** Every journey problem in plain words: no codes, no key paths, fields by their labels. */
export function problemText(error: GraphError, ctx: ProblemContext): LocalizedText {
  const params = error.params ?? {};
  const key = problemKeys[error.code];
  if (key === null) return issueText(params, fieldLabelOf(error, ctx));
  const event = orderEventLabels[String(params.event) as keyof typeof orderEventLabels];
  const nodeData = typeof params.id === 'string' ? ctx.node(params.id) : undefined;
  const ports = portWords(error, ctx);
  const per = (lang: Lang): string =>
    translate(lang, key, {
      ...params,
      ...(event ? { event: event[lang] } : {}),
      ...(ports.zhPort !== undefined ? { port: lang === 'zh' ? ports.zhPort : ports.enPort } : {}),
      node: nodeData ? nodeTitleOf(nodeData, (t) => t[lang]) : '',
    });
  return { zh: per('zh'), en: per('en') };
}

/** A port (exit) as people see it: a branch's name, 下一步, 超时... — never its key. */
export function portName(port: string, i18n: Pick<I18n, 't'>, data?: JourneyNodeData): string {
  const fixed = fixedPortKeys[port];
  if (data !== undefined) {
    const label = portLabel(data, port, i18n as I18n);
    if (label !== port) return label;
  }
  return fixed === undefined ? i18n.t('pwBranchUnnamed') : i18n.t(fixed);
}

/** A port of a node in a graph as sent to the engine (simulation results name nodes by id). */
export function graphPortName(graph: JourneyGraphInput, nodeId: string, port: string, i18n: Pick<I18n, 't'>): string {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const data = node && isNodeTypeId(node.type) ? { type: node.type, config: node.config ?? {} } : undefined;
  return portName(port, i18n, data as JourneyNodeData | undefined);
}

const runStateKeys: Record<string, MessageKey> = {
  pending: 'statePending',
  scheduled: 'stateScheduled',
  running: 'stateRunning',
  paused: 'statePaused',
  draining: 'stateDraining',
  stopped: 'stateStopped',
  completed: 'stateCompleted',
  failed: 'stateFailed',
  failed_to_start: 'stateFailedToStart',
};

/** A run state (running, paused...) in words. */
export function runStateLabel(state: string, { t }: Pick<I18n, 't'>): string {
  return t(runStateKeys[state] ?? 'stateUnknown');
}

const skipReasonKeys: Record<string, MessageKey> = {
  opted_out: 'skipOptedOut',
  frequency_cap: 'skipFrequencyCap',
  quiet_hours: 'skipQuietHours',
  suppressed: 'skipSuppressed',
  no_phone: 'skipNoPhone',
  paused: 'skipPaused',
  stopped: 'skipStopped',
};

/** Why a message or action was skipped (opted_out, quiet_hours...) in words. */
export function skipReasonLabel(reason: string, { t }: Pick<I18n, 't'>): string {
  const key = skipReasonKeys[reason];
  return key === undefined ? t('pwSkipOther') : t(key);
}

/** A JSON typo as a sentence with its line and column, not the engine's English. */
export function jsonErrorText(text: string, { t }: Pick<I18n, 't'>): string {
  const offset = jsonErrorOffset(text);
  if (offset === null) return t('pwJsonInvalidNoPlace');
  const before = text.slice(0, offset).split('\n');
  return t('pwJsonInvalid', { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 });
}
