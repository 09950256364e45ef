// CSV cells for every export (the route's RawResponse adds the byte order mark, api/app.ts).

/** One cell: quoted when it must be; a text starting with = + - @ stays text (no spreadsheet formula). */
export const csvCell = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A header and rows as CRLF lines, ending with one. */
export const csvLines = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  `${[header.map(csvCell), ...rows.map((r) => r.map(csvCell))].map((cells) => cells.join(',')).join('\r\n')}\r\n`;

/** The languages an export's header row (and figure names) come in. */
export type CsvLang = 'zh' | 'en';

/**
 * The language of an export: ?lang= when given, else the first of zh/en in Accept-Language, else
 * Chinese (the marketers'). English keeps the machine-friendly keys API clients already read.
 */
export function csvLang(lang: CsvLang | undefined, acceptLanguage: string | undefined): CsvLang {
  if (lang) return lang;
  const first = (acceptLanguage ?? '')
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .find((tag) => tag.startsWith('zh') || tag.startsWith('en'));
  return first?.startsWith('en') ? 'en' : 'zh';
}

/** Chinese for every key an export writes as a column or a figure name; English is the key itself. */
const zhWords: Readonly<Record<string, string>> = {
  checkpoint: '评估点',
  node_id: '节点',
  node: '节点',
  cycle: '轮次',
  group: '分组',
  window_start: '统计开始',
  window_end: '统计结束',
  figure: '指标',
  total: '合计',
  treatment: '触达组',
  holdout: '对照组',
  from: '开始',
  to: '结束',
  time_zone: '时区',
  runs: '运行次数',
  entered: '进入人数',
  converted: '转化人数',
  gmv: '成交金额',
  targets: '人数',
  sent: '短信发送',
  delivered: '短信送达',
  billed_segments: '计费条数',
  buyers: '购买人数',
  orders: '订单数',
  sales: '销售额',
  cost: '成本',
  coupons_issued: '发券数',
  coupons_redeemed: '核销券数',
  coupon_value: '核销券面值',
  sms_cost: '短信费用',
  response_rate: '响应率',
  roi: '投入产出比',
  lift: '提升',
  lift_ci_low: '提升下限（95%）',
  lift_ci_high: '提升上限（95%）',
  p_value: '显著性 p 值',
  significant: '是否显著',
  incremental_sales: '增量销售额',
  incremental_roi: '增量投入产出比',
  reached: '到达人数',
  waiting: '等待中',
  left: '已离开',
  exited: '在此结束',
  ab_split: 'A/B 分流',
  line: '行类型',
  arm: '组',
  versus: '对比组',
  conversion_rate: '转化率',
  holdout_targets: '对照组·人数',
  holdout_buyers: '对照组·购买人数',
  relative_lift: '相对提升',
  winner: '胜出组',
  no_winner_reason: '未分胜负原因',
  customer_id: '客户编号',
  nickname: '昵称',
  touches: '营销触达次数',
  last_touch_at: '最近触达时间',
  below_floor: '低于覆盖下限',
  // The shop overview (reports/shop-overview-csv.ts).
  value: '数值',
  period: '周期',
  monetary: 'RFM 金额口径',
  non_buyers: '未购买客户数',
  new_buyers: '新客数',
  returning_buyers: '老客数',
  province: '省份',
  city: '城市',
  category: '品类',
  rfm_group: 'RFM 分组',
  customers: '客户数',
  over_warning: '超过 3 万人',
  lifecycle_group: '生命周期分组',
  month: '月份',
  next_month: '次月复购率',
  two_months: '2 个月内复购率',
  quarter: '3 个月内复购率',
  first_time_buyers: '首购人数',
  d1: '1 天内回购率',
  d3: '3 天内回购率',
  d7: '7 天内回购率',
  d30: '30 天内回购率',
  cohort: '首购月份',
  ltv_m0: '人均累计消费（首购当月）',
  ltv_m1: '人均累计消费（+1 月）',
  ltv_m2: '人均累计消费（+2 月）',
  ltv_m3: '人均累计消费（+3 月）',
};

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** A column or figure name in the export's language: `treatment_sales` → 触达组·销售额 in Chinese. */
export function csvWord(key: string, lang: CsvLang): string {
  const k = snake(key);
  if (lang === 'en') return k;
  if (zhWords[k] !== undefined) return zhWords[k];
  const arm = /^(treatment|holdout)_(.+)$/.exec(k);
  if (arm && zhWords[arm[2]] !== undefined) return `${zhWords[arm[1]]}·${zhWords[arm[2]]}`;
  return k;
}
