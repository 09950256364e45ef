import { z } from 'zod';

/** Text shown to people, always in both product languages. */
export const LocalizedText = z.object({
  zh: z.string().min(1),
  en: z.string().min(1),
});
export type LocalizedText = z.infer<typeof LocalizedText>;

export function text(zh: string, en: string): LocalizedText {
  return { zh, en };
}
