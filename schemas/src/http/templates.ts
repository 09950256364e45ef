// The template gallery.
import { z } from 'zod';
import { DisplayName } from '../text.ts';
import { DraftGraph } from './common.ts';
import { JourneyKind } from './journeys.ts';

const Localized = z.object({ zh: z.string(), en: z.string() });

export const Template = z.object({
  id: z.string(),
  /** The graph's own name and description (what a journey made from it starts with). */
  name: z.string(),
  description: z.string().nullable(),
  /** The gallery card, in both product languages (from the template's definition). */
  card: z.object({ label: Localized, description: Localized }),
  kind: JourneyKind,
  nodeCount: z.int(),
  graph: DraftGraph,
});
export type Template = z.infer<typeof Template>;
export const TemplateList = z.object({ templates: z.array(Template) });
export type TemplateList = z.infer<typeof TemplateList>;
export const TemplateParams = z.strictObject({ templateId: z.string() });
export const FromTemplateBody = z.strictObject({ name: DisplayName(80).optional() }).optional();
export type FromTemplateRequest = z.input<typeof FromTemplateBody>;
