import { z } from 'zod';
import { Duration, durationMs } from '../duration.ts';
import { text } from '../i18n.ts';
import { defineNodeType } from '../node-type.ts';
import { previewParts } from '../sms/compose.ts';
import { SMS_LIMITS } from '../sms/counter.ts';
import { TaskKind, taskKindLabels } from '../task-kind.ts';
import { parseTemplate } from '../sms/template.ts';
import { field } from '../ui.ts';
import { displayName } from './shared.ts';

const yuan = z.number().finite().min(0).max(1e6);

export const actionSms = defineNodeType({
  id: 'action.sms',
  version: 1,
  label: text('发短信', 'Send SMS'),
  description: text('发送短信；签名与退订语自动附加', 'Send an SMS; signature and opt-out are added automatically'),
  category: 'action',
  icon: 'message-square',
  ports: ['out'],
  config: z.strictObject({
    name: field(displayName.optional(), { label: text('名称', 'Name'), widget: 'text' }),
    smsClass: field(z.enum(['marketing', 'notification']).default('marketing'), {
      label: text('短信类型', 'Class'),
      widget: 'select',
      options: { marketing: text('营销短信', 'Marketing'), notification: text('通知短信', 'Notification') },
    }),
    template: field(z.string().min(1).max(SMS_LIMITS['UCS-2'].maxUnits), {
      label: text('短信内容', 'Message'),
      widget: 'sms_template',
      help: text(
        '利益点放在前 15-20 个字；可用变量如 {nickname}',
        'Put the benefit in the first 15-20 characters; variables like {nickname}',
      ),
    }),
  }),
  activity: 'sendSms',
  lower: (c, ctx) => {
    const parsed = parseTemplate(c.template);
    const parts = parsed.ok ? parsed.parts : [];
    const envelope = {
      signature: ctx.settings.sms.signature ?? '',
      optOutSuffix: ctx.settings.sms.optOutSuffix,
      smsClass: c.smsClass,
    };
    const preview = previewParts(parts, envelope, ctx.settings.sms.unitPrice);
    return {
      name: c.name ?? null,
      smsClass: c.smsClass,
      parts,
      envelope,
      unitPrice: ctx.settings.sms.unitPrice,
      /** Segments of the message rendered with sample values (a forecast; real values vary). */
      estimatedSegments: preview.ok ? preview.count.segments : 0,
    };
  },
});

export const actionCoupon = defineNodeType({
  id: 'action.coupon',
  version: 1,
  label: text('发优惠券', 'Issue coupon'),
  description: text('发放满减券，可限制库存', 'Issue a spend-threshold coupon, optionally with limited stock'),
  category: 'action',
  icon: 'ticket',
  ports: ['out'],
  config: z
    .strictObject({
      name: field(displayName, { label: text('券名称', 'Coupon name'), widget: 'text' }),
      amount: field(yuan.gt(0), { label: text('面额', 'Amount'), widget: 'money', unit: text('元', 'CNY') }),
      threshold: field(yuan.default(0), {
        label: text('使用门槛', 'Minimum spend'),
        widget: 'money',
        unit: text('元', 'CNY'),
        help: text('0 表示无门槛', '0 means none'),
      }),
      validity: field(Duration, { label: text('有效期', 'Valid for'), widget: 'duration' }),
      stock: field(z.int().min(1).max(10_000_000).nullable().default(null), {
        label: text('库存', 'Stock'),
        widget: 'number',
        help: text('留空表示不限', 'Empty means unlimited'),
      }),
      use: field(z.enum(['personal', 'referral']).default('personal'), {
        label: text('券的用法', 'Use'),
        widget: 'select',
        options: {
          personal: text('本人使用', 'The member uses it'),
          referral: text(
            '分享券：可转发给朋友，朋友下单计入分享人',
            "Referral: forwardable; friends' orders count for the member",
          ),
        },
      }),
      pool: field(z.string().trim().min(1).max(100).nullable().default(null), {
        label: text('券码池', 'Code pool'),
        widget: 'text',
        help: text(
          '填写后从导入的平台券码中逐一发放（用完即止），有效期以券码池为准，面额须与券码池一致；留空则生成 HT 开头的券码',
          "Hand out codes imported from the platform's coupon tool (until they run out), valid as the pool says; the amount must be the pool's. Empty makes HT… codes",
        ),
      }),
    })
    .refine((c) => c.threshold === 0 || c.threshold > c.amount, {
      message: 'the minimum spend must exceed the amount',
      path: ['threshold'],
    }),
  activity: 'issueCoupon',
  lower: (c) => ({
    name: c.name,
    amount: c.amount,
    threshold: c.threshold,
    validityMs: durationMs(c.validity),
    stock: c.stock,
    pool: c.pool,
    referral: c.use === 'referral',
  }),
});

export const actionTask = defineNodeType({
  id: 'action.task',
  version: 1,
  label: text('人工任务', 'Staff task'),
  description: text(
    '给客服或店主创建任务，例如致电大额未付款买家',
    'Create a task for staff, e.g. call the buyer of a large unpaid order',
  ),
  category: 'action',
  icon: 'clipboard',
  ports: ['out'],
  config: z.strictObject({
    assignee: field(z.enum(['customer_service', 'shop_owner']), {
      label: text('指派给', 'Assign to'),
      widget: 'select',
      options: { customer_service: text('客服', 'Customer service'), shop_owner: text('店主', 'Shop owner') },
    }),
    title: field(z.string().trim().min(1).max(60), { label: text('标题', 'Title'), widget: 'text' }),
    instructions: field(z.string().max(500).default(''), { label: text('说明', 'Instructions'), widget: 'textarea' }),
    dueIn: field(Duration.default({ amount: 1, unit: 'days' }), { label: text('期限', 'Due in'), widget: 'duration' }),
    kind: field(TaskKind.optional(), {
      label: text('任务类型', 'Task kind'),
      widget: 'select',
      options: taskKindLabels,
      help: text('收件箱按类型筛选、计数和通知', 'The inbox filters, counts and notifies by kind'),
    }),
  }),
  activity: 'createStaffTask',
  // A kind only when configured: plans published before the field keep their hash.
  lower: (c) => ({
    assignee: c.assignee,
    title: c.title,
    instructions: c.instructions,
    dueInMs: durationMs(c.dueIn),
    ...(c.kind === undefined ? {} : { kind: c.kind }),
  }),
});

export const actionTag = defineNodeType({
  id: 'action.tag',
  version: 1,
  label: text('打标签', 'Tag customer'),
  description: text('给买家添加或移除标签', 'Add or remove customer tags'),
  category: 'action',
  icon: 'tag',
  ports: ['out'],
  config: z.strictObject({
    op: field(z.enum(['add', 'remove']).default('add'), {
      label: text('操作', 'Operation'),
      widget: 'select',
      options: { add: text('添加', 'Add'), remove: text('移除', 'Remove') },
    }),
    tags: field(z.array(z.string().trim().min(1).max(50)).min(1).max(20), {
      label: text('标签', 'Tags'),
      widget: 'tags',
    }),
  }),
  activity: 'tagCustomers',
  lower: (c) => ({ op: c.op, tags: [...new Set(c.tags)] }),
});

export const actionWebhook = defineNodeType({
  id: 'action.webhook',
  version: 1,
  label: text('Webhook', 'Webhook'),
  description: text('把成员批量推送到外部系统', 'Post members in batches to an external system'),
  category: 'action',
  icon: 'webhook',
  ports: ['out'],
  config: z.strictObject({
    url: field(z.url({ protocol: /^https$/ }).max(500), {
      label: text('地址', 'URL'),
      widget: 'url',
      help: text('仅支持 https', 'https only'),
    }),
    batchSize: field(z.int().min(1).max(1000).default(100), {
      label: text('每批人数', 'Batch size'),
      widget: 'number',
    }),
  }),
  activity: 'callWebhook',
  lower: (c) => ({ url: c.url, batchSize: c.batchSize }),
});
