import type { LocalizedText } from '@huitou/schemas';

/** One catalogue entry in both product languages (the catalogue itself is i18n.ts). */
export const m = (zh: string, en: string): LocalizedText => ({ zh, en });
