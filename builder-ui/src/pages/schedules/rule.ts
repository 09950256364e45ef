import type { ScheduleRequest } from '../../api.ts';
import type { I18n } from '../../i18n.ts';
import { WEEKDAYS } from '../../inspector/basic-widgets.tsx';

/** A schedule's rule in words: "每周一 09:30", "Monthly on day 31 at 08:00". */
export function ruleText(
  s: Pick<ScheduleRequest, 'every' | 'at'> & { weekday?: number | null; monthDay?: number | null },
  { t, l }: Pick<I18n, 't' | 'l'>,
): string {
  if (s.every === 'week') {
    const day = WEEKDAYS[String(s.weekday ?? 1)];
    return t('schedulesRuleWeek', { day: day ? l(day) : '', at: s.at });
  }
  if (s.every === 'month') return t('schedulesRuleMonth', { day: s.monthDay ?? 1, at: s.at });
  return t('schedulesRuleDay', { at: s.at });
}
