import type { Lang } from '../../i18n.ts';

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-GB');

export const formatDate = (iso: string, lang: Lang) =>
  new Date(iso).toLocaleDateString(locale(lang), { year: 'numeric', month: '2-digit', day: '2-digit' });

export const formatDateTime = (iso: string, lang: Lang) =>
  new Date(iso).toLocaleString(locale(lang), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

export const money = (n: number) => `¥${n.toFixed(2)}`;
