// Cells as the Taobao/Tmall seller centre exports them (订单报表, 宝贝报表): numbers guarded against
// Excel as ="…" or with a tab, times without an offset (Beijing time), Chinese statuses, one
// address cell. Messages never repeat the cell.
import { z } from 'zod';
import { parsePhone } from '@huitou/schemas/phone';
import type { ParsedPhone } from '@huitou/schemas/phone';

/** A cell without Excel's guards: ="2026…" (kept as text) or a trailing tab, and spaces. */
export const unguarded = (cell: string): string => {
  const trimmed = cell.trim();
  if (trimmed.length === 0 || (trimmed[0] !== '=' && trimmed[0] !== "'")) return trimmed;
  const guarded = /^="(.*)"$/s.exec(trimmed);
  return (guarded ? guarded[1] : trimmed).replace(/^'/, '').trim();
};

/** Like cells.ts `optional`: blank is null; guards stripped first. */
export function tbOptional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' ? unguarded(v) || null : v), schema.nullable().optional());
}

export function tbFilled<T extends z.ZodType>(schema: T) {
  return z
    .preprocess((v) => (typeof v === 'string' ? unguarded(v) || null : v), schema.nullable())
    .refine((v) => v !== null, 'a value is required')
    .transform((v) => v as z.output<T>);
}

const TIME = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const two = (s: string | undefined) => (s === undefined ? '00' : s.length === 1 ? `0${s}` : s);
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** `2026-11-11 00:10:23` (also `/`, no seconds, one-digit parts): Beijing time, as ISO with +08:00. */
export const beijingTime = z.string().transform((cell, ctx) => {
  const m = TIME.exec(cell);
  // A calendar time (no Feb 30, no 25:00), checked without a Date: a million rows a file.
  const [y, mo, d, h, mi, se] = m ? m.slice(1, 7).map((p) => Number(p ?? 0)) : [];
  if (
    !m ||
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    d > (mo === 2 && !leap(y) ? 28 : DAYS[mo - 1]) ||
    h > 23 ||
    mi > 59 ||
    se > 59
  ) {
    ctx.addIssue({ code: 'custom', message: 'expected a time like 2026-11-11 09:30:00 (Beijing time)' });
    return z.NEVER;
  }
  return `${m[1]}-${two(m[2])}-${two(m[3])}T${two(m[4])}:${two(m[5])}:${two(m[6])}+08:00`;
});

/** 订单状态 → our order status (docs/api.md § Taobao). 交易关闭 with a refund becomes refunded. */
export const TAOBAO_STATUSES: Readonly<Record<string, 'created' | 'paid' | 'shipped' | 'completed' | 'closed'>> = {
  等待买家付款: 'created',
  '买家已付款,等待卖家发货': 'paid',
  卖家部分发货: 'shipped',
  '卖家已发货,等待买家确认': 'shipped',
  交易成功: 'completed',
  交易关闭: 'closed',
};

/** Full-width commas and spaces as Excel or the export may write them are the same status. */
export const taobaoStatus = z.string().transform((cell, ctx) => {
  const status = TAOBAO_STATUSES[cell.normalize('NFKC').replace(/\s+/g, '')];
  if (status) return status;
  ctx.addIssue({
    code: 'custom',
    message: `expected a Taobao order status: ${Object.keys(TAOBAO_STATUSES).join(', ')}`,
  });
  return z.NEVER;
});

/** Yuan as exports write it: 299, 299.5, 299.00 (a ¥ sign is allowed). */
export const tbMoney = z
  .string()
  .transform((s) => s.replace(/^[¥￥]/, ''))
  .pipe(z.string().regex(/^\d{1,10}(\.\d{1,2})?$/, 'expected an amount in yuan, e.g. 299 or 299.50'));

export const count = z
  .string()
  .regex(/^\d{1,6}$/, 'expected a whole number of at least 1')
  .transform(Number)
  .refine((n) => n >= 1, 'expected a whole number of at least 1');

/** A phone cell through parsePhone: a mobile, a fixed line or a masked number; else the row's error. */
export const tbPhone = z.string().transform((cell, ctx): ParsedPhone => {
  const parsed = parsePhone(cell);
  if (parsed.kind !== 'invalid') return parsed;
  ctx.addIssue({
    code: 'custom',
    message: 'expected a mobile number, a fixed line with its area code or a masked number (138****1234)',
  });
  return z.NEVER;
});

const PROVINCE_SUFFIX = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$/;
const NO_SPACES =
  /^(.{2,3}?(?:省|市|自治区|特别行政区)|内蒙古自治区|广西壮族自治区|宁夏回族自治区|新疆维吾尔自治区|西藏自治区)(.+?(?:市|自治州|地区|盟))?/;

/**
 * 收货地址 "浙江省 杭州市 西湖区 文三路 100号" → province 浙江, city 杭州 (the short forms segments
 * use, as the demo shop's customers have them). Written without spaces, the province and city
 * are told by their suffixes. Null when neither can be told.
 */
export function splitAddress(address: string): { province: string | null; city: string | null } {
  const parts = address.trim().split(/\s+/);
  let province: string | null = null;
  let city: string | null = null;
  if (parts.length >= 2) [province, city] = parts;
  else {
    const m = NO_SPACES.exec(address.trim());
    if (m) [province, city] = [m[1], m[2] ?? null];
  }
  const shortProvince = province?.replace(PROVINCE_SUFFIX, '') || null;
  const shortCity = city && city.length > 2 ? city.replace(/市$/, '') : city;
  return { province: shortProvince?.slice(0, 100) ?? null, city: shortCity?.slice(0, 100) ?? null };
}
