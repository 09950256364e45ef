import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';

/** One arm of split.random: `key` is its port (edges hang on it), so the form never renames it. */
export interface Arm {
  key: string;
  name?: string;
  percent: number;
}

const MIN_ARMS = 2;
const MAX_ARMS = 10;
/** The same rounding the compiler's RANDOM_SPLIT_SUM check uses. */
export const armsSum = (arms: readonly Arm[]) => Math.round(arms.reduce((s, a) => s + a.percent, 0) * 100) / 100;

/** The next unused single-letter key (c, d, ...), else arm_N. */
function nextKey(arms: readonly Arm[]): string {
  const taken = new Set(arms.map((a) => a.key));
  for (const letter of 'abcdefghij') if (!taken.has(letter)) return letter;
  for (let n = arms.length + 1; ; n++) if (!taken.has(`arm_${n}`)) return `arm_${n}`;
}

/** A/B arms (UI hint `arms`): name and share each, the live total, an error while it is not 100%. */
export function ArmsInput({ id, value, onChange, disabled }: WidgetProps<Arm[]>) {
  const { t } = useI18n();
  const arms = value ?? [];
  const sum = armsSum(arms);
  const set = (i: number, patch: Partial<Arm>) => onChange(arms.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const add = () => {
    const key = nextKey(arms);
    onChange([
      ...arms,
      { key, name: t('armDefaultName', { key: key.toUpperCase() }), percent: Math.max(0, 100 - sum) },
    ]);
  };
  return (
    <div id={id} data-testid="arms-input">
      {arms.map((a, i) => (
        <div key={i} className="input-group" data-testid={`arm-${i}`} style={{ marginBottom: 4 }}>
          <input
            className="input"
            aria-label={t('armName')}
            disabled={disabled}
            value={a.name ?? ''}
            placeholder={a.key}
            onChange={(e) => set(i, { name: e.target.value || undefined })}
            data-testid={`arm-name-${i}`}
          />
          <input
            className="input"
            type="number"
            aria-label={t('armPercent')}
            min={0}
            max={100}
            disabled={disabled}
            value={a.percent}
            onChange={(e) => set(i, { percent: e.target.value === '' ? 0 : Number(e.target.value) })}
            style={{ width: 80, flex: 'none' }}
            data-testid={`arm-percent-${i}`}
          />
          <span className="input-unit">%</span>
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={disabled || arms.length <= MIN_ARMS}
            onClick={() => onChange(arms.filter((_, j) => j !== i))}
            data-testid={`arm-remove-${i}`}
          >
            {t('segRemove')}
          </button>
        </div>
      ))}
      <div className="input-group">
        <button
          type="button"
          className="chip"
          disabled={disabled || arms.length >= MAX_ARMS}
          onClick={add}
          data-testid="arm-add"
        >
          {t('armAdd')}
        </button>
        <span className="input-unit" data-testid="arms-sum" data-sum={sum}>
          {t('armSum', { sum })}
        </span>
      </div>
      {sum !== 100 && (
        <div className="field-error" data-testid="arms-sum-error">
          {t('armSumError', { sum })}
        </div>
      )}
    </div>
  );
}
