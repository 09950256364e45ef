import { z } from 'zod';
import { Duration, durationMs } from '../duration.ts';
import { OrderEvent, orderEventLabels } from '../events.ts';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { ALL_WEEKDAYS, TimeWindow, TimeZone, Weekday, maxWindowWaitMs } from '../time-windows.ts';
import { field } from '../ui.ts';

export const waitDelay = defineNodeType({
  id: 'wait.delay',
  version: 1,
  label: text('等待', 'Delay'),
  description: text('等待一段时间', 'Wait for a while'),
  category: 'wait',
  icon: 'hourglass',
  ports: ['out'],
  config: z.strictObject({
    duration: field(Duration, { label: text('等待时长', 'Duration'), widget: 'duration' }),
  }),
  activity: null,
  lower: (c) => ({ durationMs: durationMs(c.duration) }),
  maxStayMs: (p) => p.durationMs,
});

export const waitWindow = defineNodeType({
  id: 'wait.window',
  version: 1,
  label: text('等待时段', 'Time window'),
  description: text(
    '等到下一个允许的时段（如 9-12 点、20-24 点）',
    'Wait for the next allowed time (e.g. 9-12h, 20-24h)',
  ),
  category: 'wait',
  icon: 'clock',
  ports: ['out'],
  config: z.strictObject({
    windows: field(z.array(TimeWindow).min(1).max(6), {
      label: text('允许时段', 'Allowed windows'),
      widget: 'time_windows',
    }),
    weekdays: field(
      z
        .array(Weekday)
        .min(1)
        .max(7)
        .default([...ALL_WEEKDAYS]),
      { label: text('星期', 'Weekdays'), widget: 'weekdays' },
    ),
    timeZone: field(TimeZone.optional(), {
      label: text('时区', 'Time zone'),
      widget: 'time_zone',
      help: text('默认使用旅程设置的时区', "Defaults to the journey's time zone"),
    }),
  }),
  activity: null,
  lower: (c, ctx) => ({
    windows: c.windows,
    weekdays: [...new Set(c.weekdays)].sort((a, b) => a - b),
    timeZone: c.timeZone ?? ctx.settings.timeZone,
    maxWaitMs: maxWindowWaitMs(c.windows, c.weekdays),
  }),
  maxStayMs: (p) => p.maxWaitMs,
});

export const waitEvent = defineNodeType({
  id: 'wait.event',
  version: 1,
  label: text('等待事件', 'Wait for event'),
  description: text(
    '等待同一订单/买家的事件，超时走另一分支',
    'Wait for an event on the same order or buyer, with a timeout',
  ),
  category: 'wait',
  icon: 'bell',
  ports: ['event', 'timeout'],
  config: z.strictObject({
    event: field(OrderEvent, { label: text('等待事件', 'Event'), widget: 'select', options: orderEventLabels }),
    timeout: field(Duration, { label: text('超时', 'Timeout'), widget: 'duration' }),
  }),
  activity: null,
  lower: (c) => ({ event: c.event, timeoutMs: durationMs(c.timeout) }),
  maxStayMs: (p) => p.timeoutMs,
});
