// "明早 08:00", "今天 23:00", "12月10日 10:00": when something happens, in the shop's time zone,
// in words a marketer reads at a glance.
import type { I18n } from '../i18n.ts';

const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function parts(at: Date, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return {
    day: `${p.year}-${p.month}-${p.day}`,
    month: Number(p.month),
    date: Number(p.day),
    time: `${p.hour}:${p.minute}`,
  };
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `iso` relative to `now` (today / tomorrow), else its date; both in `timeZone`. */
export function formatWhen(iso: string, i18n: Pick<I18n, 't' | 'lang'>, timeZone?: string, now = new Date()): string {
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  const at = parts(new Date(iso), zone);
  const today = parts(now, zone);
  const tomorrow = parts(new Date(Date.parse(`${today.day}T12:00:00Z`) + 86_400_000), 'UTC');
  if (at.day === today.day) return i18n.t('whenToday', { time: at.time });
  if (at.day === tomorrow.day)
    return i18n.t(Number(at.time.slice(0, 2)) < 12 ? 'whenTomorrowMorning' : 'whenTomorrow', { time: at.time });
  return i18n.lang === 'zh'
    ? `${at.month}月${at.date}日 ${at.time}`
    : `${at.date} ${MONTHS_EN[at.month - 1]} ${at.time}`;
}
