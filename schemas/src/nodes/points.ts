import { z } from 'zod';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { field } from '../ui.ts';

/** A custom activity as a palette node: awardPoints (activities/src/custom/examples/award-points.ts). */
export const actionPoints = defineNodeType({
  id: 'action.points',
  version: 1,
  label: text('积分', 'Award points'),
  description: text('给买家发会员积分，每人每次只发一次', 'Award loyalty points, once per customer and visit'),
  category: 'action',
  icon: 'star',
  ports: ['out'],
  config: z.strictObject({
    points: field(z.int().min(1).max(10_000), { label: text('积分', 'Points'), widget: 'number' }),
  }),
  activity: 'awardPoints',
  lower: (c) => ({ points: c.points }),
});
