import type { SmsCount } from './counter.ts';
import { countSms } from './counter.ts';
import type { TemplatePart } from './template.ts';
import { parseTemplate, renderTemplate } from './template.ts';
import { templateVariables } from './variables.ts';

/** Marketing messages carry promotions and need consent and an opt-out; notifications may not promote. */
export type SmsClass = 'marketing' | 'notification';

export interface SmsEnvelope {
  /** The signature exactly as sent, brackets included, e.g. 【回头小店】. */
  readonly signature: string;
  readonly smsClass: SmsClass;
  /** Appended to every marketing message, e.g. 回T退订. */
  readonly optOutSuffix: string;
}

/** The complete text the provider bills: signature + body (+ opt-out suffix for marketing). */
export function composeSms(body: string, envelope: SmsEnvelope): string {
  const suffix = envelope.smsClass === 'marketing' ? envelope.optOutSuffix : '';
  return envelope.signature + body + suffix;
}

export const sampleValues: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(templateVariables).map(([name, def]) => [name, def.sample]),
);

export type SmsPreview =
  | { readonly ok: true; readonly text: string; readonly count: SmsCount }
  | { readonly ok: false; readonly offset: number; readonly reason: string };

/**
 * What the SMS editor shows while the marketer types: the message with sample values (or the known
 * ones, e.g. the upstream coupon's), counted and priced.
 */
export function previewSms(
  source: string,
  envelope: SmsEnvelope,
  unitPrice: number,
  known: Readonly<Record<string, string>> = {},
): SmsPreview {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return parsed;
  return previewParts(parsed.parts, envelope, unitPrice, known);
}

export function previewParts(
  parts: readonly TemplatePart[],
  envelope: SmsEnvelope,
  unitPrice: number,
  known: Readonly<Record<string, string>> = {},
): SmsPreview {
  const text = composeSms(renderTemplate(parts, { ...sampleValues, ...known }).text, envelope);
  return { ok: true, text, count: countSms(text, unitPrice) };
}
