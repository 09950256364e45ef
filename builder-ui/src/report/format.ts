import type { Lang } from '../i18n.ts';

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

export const formatCount = (n: number | null, lang: Lang) => (n === null ? '—' : n.toLocaleString(locale(lang)));
export const formatMoney = (n: number | null, lang: Lang) =>
  n === null ? '—' : `¥${n.toLocaleString(locale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const formatRate = (n: number | null) => (n === null ? '—' : `${(n * 100).toFixed(1)}%`);
/** ROI as revenue : cost (shops aim for about 25 : 1). */
export const formatRatio = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} : 1`);
export const formatP = (n: number) => (n < 0.001 ? '< 0.001' : n.toFixed(3));
/** An instant as a date and time, e.g. 2026/12/6 20:05: the browser's zone unless one is given. */
export const formatInstant = (iso: string | null, lang: Lang, timeZone?: string) =>
  iso === null ? '—' : new Date(iso).toLocaleString(locale(lang), { dateStyle: 'short', timeStyle: 'short', timeZone });
