import { z } from 'zod';
import { Duration, durationMs } from '../duration.ts';
import { OrderEvent, ReviewRating, TriggerKey, orderEventLabels } from '../events.ts';
import { text } from '../i18n.ts';
import { Instant } from '../instant.ts';
import { defineNodeType } from '../node-type.ts';
import { Segment } from '../segment.ts';
import { TimeOfDay, Weekday } from '../time-windows.ts';
import { field } from '../ui.ts';
import { EVERYONE, segmentConditions } from './shared.ts';

const AudienceSchedule = z.discriminatedUnion('kind', [
  /** Enter once, at publish or at `startAt`. */
  z.strictObject({ kind: z.literal('once'), startAt: Instant.optional() }),
  /** Re-evaluate the segment on a schedule; new matches enter (subject to the re-entry rule). */
  z
    .strictObject({
      kind: z.literal('recurring'),
      every: z.enum(['day', 'week', 'month']),
      at: TimeOfDay,
      weekday: Weekday.optional(),
      dayOfMonth: z.int().min(1).max(28).optional(),
      until: z.iso.date().optional(),
    })
    .refine((s) => s.every !== 'week' || s.weekday !== undefined, {
      message: 'weekly schedules need a weekday',
      path: ['weekday'],
    })
    .refine((s) => s.every !== 'month' || s.dayOfMonth !== undefined, {
      message: 'monthly schedules need a day of month',
      path: ['dayOfMonth'],
    }),
]);

const Reentry = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('never') }),
  z.strictObject({ kind: z.literal('after_exit') }),
  z.strictObject({ kind: z.literal('cooldown'), after: Duration }),
]);

function lowerReentry(r: z.infer<typeof Reentry>) {
  return r.kind === 'cooldown' ? { kind: r.kind, cooldownMs: durationMs(r.after) } : { kind: r.kind };
}

export const entryAudience = defineNodeType({
  id: 'entry.audience',
  version: 1,
  label: text('人群入口', 'Audience entry'),
  description: text('圈选一个人群，一次性或按计划进入旅程', 'A segment enters the journey once or on a schedule'),
  category: 'entry',
  icon: 'users',
  runKind: 'audience',
  ports: ['out'],
  config: z.strictObject({
    segment: field(Segment, { label: text('目标人群', 'Audience'), widget: 'segment' }),
    schedule: field(AudienceSchedule.default({ kind: 'once' }), {
      label: text('进入时间', 'When'),
      widget: 'schedule',
    }),
    reentry: field(Reentry.default({ kind: 'never' }), { label: text('重复进入', 'Re-entry'), widget: 'reentry' }),
  }),
  activity: 'snapshotAudience',
  lower: (c) => ({ segment: c.segment, schedule: c.schedule, reentry: lowerReentry(c.reentry) }),
  conditions: (c) => segmentConditions(c.segment, ['segment']),
});

export const entryEvent = defineNodeType({
  id: 'entry.event',
  version: 1,
  label: text('事件触发', 'Event entry'),
  description: text('订单事件发生时，该买家进入旅程', 'The buyer enters when an order event happens'),
  category: 'entry',
  icon: 'zap',
  runKind: 'triggered',
  ports: ['out'],
  config: z
    .strictObject({
      event: field(OrderEvent, { label: text('触发事件', 'Event'), widget: 'select', options: orderEventLabels }),
      filter: field(Segment.default(EVERYONE), { label: text('过滤条件', 'Filter'), widget: 'segment' }),
      triggerKey: field(TriggerKey.default('order_id'), {
        label: text('触发来源', 'Count runs per'),
        widget: 'select',
        help: text(
          '同一笔订单（或同一位买家）只进入一次，后续事件按它关联',
          'One run per order (or buyer); later events are matched on it',
        ),
        options: { order_id: text('订单号', 'Order id'), customer_id: text('买家', 'Customer') },
      }),
      ratings: field(z.array(ReviewRating).min(1).max(3).optional(), {
        label: text('评价等级', 'Review ratings'),
        widget: 'multiselect',
        options: {
          positive: text('好评', 'Positive'),
          neutral: text('中评', 'Neutral'),
          negative: text('差评', 'Negative'),
        },
      }),
    })
    .refine((c) => c.ratings === undefined || c.event === 'review_posted', {
      message: 'ratings only apply to review_posted',
      path: ['ratings'],
    }),
  activity: 'admitTriggered',
  lower: (c) => ({ event: c.event, filter: c.filter, triggerKey: c.triggerKey, ratings: c.ratings ?? null }),
  conditions: (c) => segmentConditions(c.filter, ['filter']),
});

const DateRule = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('birthday'), daysBefore: z.int().min(0).max(30).default(0) }),
  /** E.g. a 3-can milk-powder order runs out in about N weeks: remind a week before. */
  z.strictObject({ on: z.literal('days_after_last_purchase'), days: z.int().min(1).max(730) }),
]);

export const entryDate = defineNodeType({
  id: 'entry.date',
  version: 1,
  label: text('日期触发', 'Date entry'),
  description: text('每天检查：生日、最近购买后第 N 天', 'Checked daily: birthdays, N days after the last purchase'),
  category: 'entry',
  icon: 'calendar',
  runKind: 'dated',
  ports: ['out'],
  config: z.strictObject({
    rule: field(DateRule, { label: text('日期规则', 'Date rule'), widget: 'date_rule' }),
    checkAt: field(TimeOfDay.default('10:00'), { label: text('每日检查时间', 'Daily check at'), widget: 'time' }),
    filter: field(Segment.default(EVERYONE), { label: text('过滤条件', 'Filter'), widget: 'segment' }),
  }),
  activity: 'admitDated',
  lower: (c) => ({ rule: c.rule, checkAt: c.checkAt, filter: c.filter }),
  conditions: (c) => segmentConditions(c.filter, ['filter']),
});
