import { useI18n } from '../i18n.ts';
import type { WidgetProps } from './basic-widgets.tsx';

/** entry.date's `rule` (schemas/src/nodes/entries.ts DateRule); the check time is its own field. */
export type DateRule = { on: 'birthday'; daysBefore?: number } | { on: 'days_after_last_purchase'; days: number };

const int = (s: string) => (s === '' ? 0 : Math.trunc(Number(s)));

/** Which date a member enters on (UI hint `date_rule`), read back as a sentence. */
export function DateRuleInput({ id, value, onChange, disabled }: WidgetProps<DateRule>) {
  const { t } = useI18n();
  const rule = value ?? { on: 'birthday', daysBefore: 0 };
  const daysBefore = rule.on === 'birthday' ? (rule.daysBefore ?? 0) : 0;
  return (
    <div id={id} data-testid="date-rule">
      <div className="chips seg-fields">
        <select
          className="input"
          disabled={disabled}
          value={rule.on}
          onChange={(e) =>
            onChange(
              e.target.value === 'birthday'
                ? { on: 'birthday', daysBefore: 0 }
                : { on: 'days_after_last_purchase', days: 30 },
            )
          }
          data-testid="date-rule-on"
        >
          <option value="birthday">{t('drBirthday')}</option>
          <option value="days_after_last_purchase">{t('drAfterPurchase')}</option>
        </select>
        {rule.on === 'birthday' ? (
          <label className="input-group">
            <span className="input-unit">{t('drDaysBefore')}</span>
            <input
              className="input"
              type="number"
              min={0}
              max={30}
              disabled={disabled}
              value={daysBefore}
              onChange={(e) => onChange({ on: 'birthday', daysBefore: int(e.target.value) })}
              data-testid="date-rule-days"
            />
            <span className="input-unit">{t('unitDays')}</span>
          </label>
        ) : (
          <label className="input-group">
            <span className="input-unit">{t('drDaysAfter')}</span>
            <input
              className="input"
              type="number"
              min={1}
              max={730}
              disabled={disabled}
              value={rule.days}
              onChange={(e) => onChange({ on: 'days_after_last_purchase', days: int(e.target.value) })}
              data-testid="date-rule-days"
            />
            <span className="input-unit">{t('unitDays')}</span>
          </label>
        )}
      </div>
      <div className="field-help" data-testid="date-rule-sentence">
        {rule.on === 'birthday'
          ? daysBefore === 0
            ? t('drOnBirthday')
            : t('drBeforeBirthday', { days: daysBefore })
          : t('drAfterPurchaseDays', { days: rule.days })}
      </div>
    </div>
  );
}
