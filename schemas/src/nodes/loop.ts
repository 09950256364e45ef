import { z } from 'zod';
import { Duration, durationMs } from '../duration.ts';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { Condition } from '../segment.ts';
import { field } from '../ui.ts';

export const MAX_REPEAT_CYCLES = 24;

/**
 * The only way to loop. Members enter through any incoming edge and start cycle 1 through `body`;
 * the body's last edge returns to this node. Before every cycle, members matching `exitWhen` leave
 * through `done`; after the last cycle everyone does. Cycle k+1 starts `interval` after cycle k
 * started, or when the body returns if that is later.
 */
export const loopRepeat = defineNodeType({
  id: 'loop.repeat',
  version: 1,
  label: text('重复', 'Repeat'),
  description: text(
    '按周期重复循环体，最多 N 轮，满足条件提前退出',
    'Repeat the body every interval, at most N cycles, leaving early on a condition',
  ),
  category: 'loop',
  icon: 'repeat',
  ports: ['body', 'done'],
  config: z.strictObject({
    cycles: field(z.int().min(1).max(MAX_REPEAT_CYCLES), { label: text('轮数', 'Cycles'), widget: 'number' }),
    interval: field(Duration, { label: text('周期', 'Interval'), widget: 'duration' }),
    exitWhen: field(Condition.optional(), {
      label: text('退出条件', 'Exit when'),
      widget: 'condition',
      help: text('每轮开始前检查，例如“自进入以来已回购”', 'Checked before each cycle, e.g. "bought since entry"'),
    }),
  }),
  activity: 'partitionBySegment',
  lower: (c) => ({ cycles: c.cycles, intervalMs: durationMs(c.interval), exitWhen: c.exitWhen ?? null }),
  conditions: (c) => (c.exitWhen === undefined ? [] : [{ path: ['exitWhen'], condition: c.exitWhen }]),
});
