import type { TimeWindow } from '@huitou/schemas';
import { minuteOfDay } from '@huitou/schemas';

export const HOURS = Array.from({ length: 24 }, (_, h) => h);
export const hourLabel = (h: number) => `${String(h).padStart(2, '0')}:00`;
const pad = hourLabel;

/** Which of the 24 hours a set of windows covers (an hour counts when its first minute is inside). */
export function hoursOf(windows: readonly TimeWindow[]): boolean[] {
  return HOURS.map((h) =>
    windows.some((w) => {
      const from = minuteOfDay(w.from);
      const to = minuteOfDay(w.to);
      const m = h * 60;
      return from < to ? m >= from && m < to : m >= from || m < to;
    }),
  );
}

/** The fewest whole-hour windows covering exactly the chosen hours; a run through midnight is one window. */
export function windowsOf(hours: readonly boolean[]): TimeWindow[] {
  if (hours.every(Boolean)) return [{ from: '00:00', to: '23:59' }];
  const firstOff = hours.indexOf(false);
  const out: TimeWindow[] = [];
  let start: number | null = null;
  for (let k = 1; k <= 24; k++) {
    const h = (firstOff + k) % 24;
    if (hours[h] && start === null) start = h;
    if (!hours[h] && start !== null) {
      out.push({ from: pad(start), to: pad(h) });
      start = null;
    }
  }
  return out;
}
