import { z } from 'zod';
import type { GraphError } from '../errors.ts';
import { text } from '../i18n.ts';
import type { LocalCheck } from '../node-type.ts';
import { defineNodeType } from '../node-type.ts';
import { parseTemplate } from '../sms/template.ts';
import { isTemplateVariable } from '../sms/variables.ts';
import { field } from '../ui.ts';
import { displayName } from './shared.ts';

/**
 * E-mail (EDM) as a second channel, built as a custom channel is: this definition, one registry
 * line, the activity sendEmail (activities/src/custom/email/) and its line in journey-activities.
 * Subject and body use the SMS template syntax and variables ({nickname}, {coupon.code}...).
 */
export const actionEmail = defineNodeType({
  id: 'action.email',
  version: 1,
  label: text('邮件', 'E-mail'),
  description: text(
    '发送邮件；营销邮件自动附加退订链接',
    'Send an e-mail; marketing e-mails carry an unsubscribe link automatically',
  ),
  category: 'action',
  icon: 'mail',
  ports: ['out'],
  config: z.strictObject({
    name: field(displayName.optional(), { label: text('名称', 'Name'), widget: 'text' }),
    emailClass: field(z.enum(['marketing', 'transactional']).default('marketing'), {
      label: text('邮件类型', 'Class'),
      widget: 'select',
      options: {
        marketing: text('营销邮件（免打扰时段顺延，计入频次上限）', 'Marketing (waits out quiet hours, capped)'),
        transactional: text('通知邮件', 'Transactional'),
      },
    }),
    subject: field(z.string().trim().min(1).max(200), {
      label: text('邮件主题', 'Subject'),
      widget: 'text',
      help: text('可用变量如 {nickname}', 'Variables like {nickname}'),
    }),
    body: field(z.string().min(1).max(20_000), {
      label: text('邮件正文', 'Body'),
      widget: 'template_text',
      help: text(
        '纯文本；可用与短信相同的变量，如 {nickname}、{coupon.code}',
        'Plain text; the same variables as SMS, e.g. {nickname}, {coupon.code}',
      ),
    }),
  }),
  activity: 'sendEmail',
  lower: (c, ctx) => ({
    name: c.name ?? null,
    emailClass: c.emailClass,
    subject: partsOf(c.subject),
    body: partsOf(c.body),
    /** Gives {shop} its value, as for SMS (the signature without its brackets). */
    signature: ctx.settings.sms.signature ?? '',
  }),
  templates: (c) => [
    { path: ['subject'], template: c.subject },
    { path: ['body'], template: c.body },
  ],
  check: (c, local) => [...checkTemplate(c.subject, 'subject', local), ...checkTemplate(c.body, 'body', local)],
});

function partsOf(source: string) {
  const parsed = parseTemplate(source);
  return parsed.ok ? parsed.parts : [];
}

function checkTemplate(source: string, key: string, local: LocalCheck): GraphError[] {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return [local.error('TEMPLATE_SYNTAX', [key], { offset: parsed.offset, reason: parsed.reason })];
  return parsed.parts.flatMap((p) =>
    p.kind === 'var' && !isTemplateVariable(p.name)
      ? [local.error('TEMPLATE_UNKNOWN_VARIABLE', [key], { name: p.name })]
      : [],
  );
}
