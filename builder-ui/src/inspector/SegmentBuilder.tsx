import { useEffect, useState } from 'react';
import type { Condition, Exclusion, SegmentInput } from '@huitou/schemas';
import { Segment, conditionNeeds } from '@huitou/schemas';
import { describeError } from '../errors.ts';
import type { MessageKey } from '../i18n.ts';
import { useI18n } from '../i18n.ts';
import { countSegment } from '../simulate-api.ts';
import { useSession } from '../session.ts';
import { ConditionEditor } from './ConditionEditor.tsx';
import { JsonEditor } from './JsonEditor.tsx';
import type { WidgetProps } from './basic-widgets.tsx';

/** Exclusions the form toggles (with their defaults); other exclusions are kept as they are. */
const EXCLUSIONS = {
  opted_out: { label: 'segExclOptedOut', value: { kind: 'opted_out' } },
  bad_reviewer: { label: 'segExclBadReviewer', value: { kind: 'bad_reviewer' } },
  low_response: {
    label: 'segExclLowResponse',
    value: { kind: 'low_response', minTimesMarketed: 5, maxResponseRate: 0.05 },
  },
  cannot_reactivate: {
    label: 'segExclCannotReactivate',
    value: { kind: 'cannot_reactivate', inactiveDays: 730, minTimesMarketed: 3 },
  },
} as const satisfies Record<string, { label: MessageKey; value: Exclusion }>;

const EVERYONE: SegmentInput = { where: { kind: 'all', of: [] }, exclude: [] };
/** Typing settles before the engine is asked; each answer replaces the last. */
const COUNT_DELAY_MS = 600;

/** Conditions about the journey (since entry, this cycle, the trigger order) have no count outside a run. */
const needsJourney = (where: Condition) => Object.values(conditionNeeds(where)).some(Boolean);

type Count =
  { state: 'idle' } | { state: 'counting' } | { state: 'done'; count: number } | { state: 'failed'; message: string };

/** The live audience count: POST /api/segments/preview, debounced, only for a segment that parses. */
function useLiveCount(segment: SegmentInput): Count {
  const i18n = useI18n();
  const session = useSession();
  const [count, setCount] = useState<Count>({ state: 'idle' });
  const key = JSON.stringify(segment);
  useEffect(() => {
    const parsed = Segment.safeParse(JSON.parse(key));
    if (!parsed.success || !session.can('segments.preview') || needsJourney(parsed.data.where))
      return setCount({ state: 'idle' });
    const abort = new AbortController();
    const timer = setTimeout(() => {
      setCount({ state: 'counting' });
      countSegment(parsed.data, abort.signal).then(
        (n) => setCount({ state: 'done', count: n }),
        (e: unknown) => !abort.signal.aborted && setCount({ state: 'failed', message: describeError(e, i18n) }),
      );
    }, COUNT_DELAY_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
    // i18n only words a failure: a language switch need not count again.
  }, [key, session]);
  return count;
}

/**
 * The segment widget (UI hint `segment`): all/any groups of conditions (ConditionEditor), exclusions
 * as toggles, a JSON view for experts, and the live audience count.
 */
export function SegmentBuilder({ id, value, onChange, disabled }: WidgetProps<SegmentInput>) {
  const { t } = useI18n();
  const [asJson, setAsJson] = useState(false);
  const segment = value ?? EVERYONE;
  const exclude = segment.exclude ?? [];
  const has = (kind: string) => exclude.some((e) => e.kind === kind);
  const toggle = (kind: keyof typeof EXCLUSIONS) =>
    onChange({
      ...segment,
      exclude: has(kind) ? exclude.filter((e) => e.kind !== kind) : [...exclude, EXCLUSIONS[kind].value],
    });

  return (
    <div className="segment-builder" id={id} data-testid="segment-builder">
      <div className="chips">
        <button
          type="button"
          className={`chip ${asJson ? '' : 'is-on'}`}
          onClick={() => setAsJson(false)}
          data-testid="seg-form"
        >
          {t('segShowForm')}
        </button>
        <button
          type="button"
          className={`chip ${asJson ? 'is-on' : ''}`}
          onClick={() => setAsJson(true)}
          data-testid="seg-json"
        >
          {t('segShowJson')}
        </button>
      </div>
      {asJson ? (
        <JsonEditor
          id={`${id}-json`}
          disabled={disabled}
          value={value}
          onChange={(v) => onChange(v as SegmentInput | undefined)}
        />
      ) : (
        <>
          <ConditionEditor
            value={segment.where as Condition}
            disabled={disabled}
            onChange={(where) => onChange({ ...segment, where })}
          />
          <div className="field">
            <span className="field-label">{t('segExclude')}</span>
            <div className="chips">
              {(Object.keys(EXCLUSIONS) as (keyof typeof EXCLUSIONS)[]).map((kind) => (
                <button
                  key={kind}
                  type="button"
                  className={`chip ${has(kind) ? 'is-on' : ''}`}
                  disabled={disabled}
                  onClick={() => toggle(kind)}
                  data-testid={`seg-exclude-${kind}`}
                >
                  {t(EXCLUSIONS[kind].label)}
                </button>
              ))}
            </div>
          </div>
        </>
      )}
      <LiveCount segment={segment} />
    </div>
  );
}

function LiveCount({ segment }: { segment: SegmentInput }) {
  const { t, lang } = useI18n();
  const count = useLiveCount(segment);
  return (
    <div
      className="field-help"
      data-testid="seg-count"
      data-state={count.state}
      data-count={count.state === 'done' ? count.count : ''}
    >
      {count.state === 'counting' && t('segCounting')}
      {count.state === 'done' &&
        t('segCount', { count: count.count.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') })}
      {count.state === 'failed' && t('segCountFailed', { message: count.message })}
    </div>
  );
}

/**
 * The condition widget (UI hint `condition`, e.g. a repeat's exit condition): the same form, no
 * count (it depends on the journey).
 */
export function ConditionBuilder({ value, onChange, disabled }: WidgetProps<Condition>) {
  return <ConditionEditor value={value ?? { kind: 'all', of: [] }} disabled={disabled} onChange={onChange} />;
}

interface Branch {
  key: string;
  name?: string;
  when: Condition;
}

/** A split's branches (UI hint `branches`): port key, name and condition each, with the count of who matches now. */
export function BranchesBuilder({ id, value, onChange, disabled }: WidgetProps<Branch[]>) {
  const { t } = useI18n();
  const branches = value ?? [];
  const set = (i: number, patch: Partial<Branch>) =>
    onChange(branches.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  return (
    <div id={id} data-testid="branches-builder">
      {branches.map((b, i) => (
        <div key={i} className="field seg-branch" data-testid={`branch-${i}`}>
          <div className="chips">
            <input
              className="input mono"
              aria-label={t('segBranchKey')}
              disabled={disabled}
              value={b.key}
              onChange={(e) => set(i, { key: e.target.value })}
            />
            <input
              className="input"
              aria-label={t('segBranchName')}
              disabled={disabled}
              value={b.name ?? ''}
              onChange={(e) => set(i, { name: e.target.value || undefined })}
            />
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={disabled || branches.length <= 1}
              onClick={() => onChange(branches.filter((_, j) => j !== i))}
            >
              {t('segRemove')}
            </button>
          </div>
          <ConditionEditor value={b.when} disabled={disabled} onChange={(when) => set(i, { when })} />
          <LiveCount segment={{ where: b.when, exclude: [] }} />
        </div>
      ))}
      <button
        type="button"
        className="chip"
        disabled={disabled || branches.length >= 10}
        onClick={() => onChange([...branches, { key: `branch_${branches.length + 1}`, when: { kind: 'all', of: [] } }])}
        data-testid="branch-add"
      >
        {t('segAddBranch')}
      </button>
    </div>
  );
}
