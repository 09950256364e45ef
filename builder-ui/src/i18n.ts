import { createContext, useContext } from 'react';
import type { LocalizedText } from '@huitou/schemas';

/** Product languages; the keys match LocalizedText so registry labels need no mapping. */
export type Lang = keyof LocalizedText;
export const DEFAULT_LANG: Lang = 'zh';

const m = (zh: string, en: string): LocalizedText => ({ zh, en });

/** Every string the builder shows (node, field and error texts come from the registry instead). */
export const catalogue = {
  appName: m('回头 · 旅程画布', 'Huitou · Journey builder'),
  journeyName: m('旅程名称', 'Journey name'),
  untitledJourney: m('未命名旅程', 'Untitled journey'),
  languageToggle: m('English', '中文'),
  palette: m('节点', 'Nodes'),
  paletteHint: m('拖到画布上，或点击添加', 'Drag onto the canvas, or click to add'),
  undo: m('撤销', 'Undo'),
  redo: m('重做', 'Redo'),
  autoLayout: m('自动布局', 'Auto layout'),
  zoomToFit: m('适应画布', 'Zoom to fit'),
  templates: m('模板', 'Templates'),
  newJourney: m('新建', 'New'),
  save: m('保存草稿', 'Save draft'),
  saved: m('已保存 {time}', 'Saved {time}'),
  publish: m('发布', 'Publish'),
  publishBlocked: m('请先修复 {count} 个问题', 'Fix {count} problems first'),
  published: m('已发布第 {version} 版', 'Published version {version}'),
  viewMode: m('只读查看', 'View only'),
  editMode: m('编辑', 'Edit'),
  readOnlyBanner: m('只读：第 {version} 版（已发布）', 'Read-only: version {version} (published)'),
  readOnlyDraftBanner: m('只读视图', 'Read-only view'),
  backToDraft: m('返回草稿', 'Back to draft'),
  versions: m('已发布版本', 'Published versions'),
  noVersions: m('尚未发布', 'Not published yet'),
  // Right panel
  tabNode: m('节点配置', 'Node'),
  tabSettings: m('旅程设置', 'Settings'),
  nothingSelected: m('选中一个节点以编辑配置', 'Select a node to edit it'),
  manySelected: m('已选中 {count} 个节点', '{count} nodes selected'),
  nodeLabel: m('显示名称', 'Display name'),
  nodeId: m('节点 ID', 'Node id'),
  deleteNode: m('删除节点', 'Delete node'),
  required: m('必填', 'Required'),
  optional: m('可选', 'Optional'),
  notSet: m('未设置', 'Not set'),
  jsonInvalid: m('JSON 格式错误：{detail}', 'Invalid JSON: {detail}'),
  jsonHelp: m('结构化编辑（JSON）', 'Structured editor (JSON)'),
  addTag: m('输入后回车添加', 'Type and press Enter'),
  // Duration
  unitMinutes: m('分钟', 'minutes'),
  unitHours: m('小时', 'hours'),
  unitDays: m('天', 'days'),
  unitWeeks: m('周', 'weeks'),
  // SMS editor
  smsVariables: m('插入变量', 'Insert variable'),
  smsPreview: m('手机预览', 'Phone preview'),
  smsLockScreen: m('锁屏只显示前 20 字', 'The lock screen shows the first 20 characters'),
  smsChars: m('{units} 字', '{units} characters'),
  smsSegments: m('计费 {segments} 条', 'billed as {segments} SMS'),
  smsCost: m('约 ¥{cost}/人', '≈ ¥{cost} per person'),
  smsRemaining: m('本条还剩 {remaining} 字', '{remaining} left in this segment'),
  smsEncoding: m('编码 {encoding}', 'Encoding {encoding}'),
  smsIncludes: m('含签名{suffix}', 'Signature{suffix} included'),
  smsIncludesSuffix: m('与退订语', ' and opt-out'),
  smsTooLong: m('超过 {max} 字上限', 'Over the {max}-character limit'),
  smsSyntax: m('模板错误（第 {offset} 个字符）：{reason}', 'Template error at {offset}: {reason}'),
  smsNoSignature: m('【未设置签名】', '[no signature]'),
  // Validation
  problems: m('问题', 'Problems'),
  noProblems: m('没有问题，可以发布', 'No problems: ready to publish'),
  problemsCount: m('{count} 个问题', '{count} problems'),
  journeyLevel: m('旅程', 'Journey'),
  needsNodes: m('旅程还没有节点：从左侧拖入一个入口节点', 'The journey has no nodes yet: drag an entry node from the left'),
  // Settings
  holdout: m('对照组比例', 'Holdout share'),
  holdoutHelp: m('不触达的对照组，用于衡量自然回购', 'Entrants who get nothing, to measure natural repurchase'),
  quietHours: m('免打扰时段', 'Quiet hours'),
  quietHoursHelp: m('此时段内不发营销短信，顺延到结束', 'No marketing SMS in this window; sends wait for its end'),
  quietFrom: m('开始', 'From'),
  quietTo: m('结束', 'To'),
  frequencyCap: m('计入全店年度频次上限', 'Counts toward the shop-wide yearly cap'),
  signature: m('短信签名', 'SMS signature'),
  signatureHelp: m('含括号，例如【回头小店】', 'Brackets included, e.g. 【回头小店】'),
  unitPrice: m('短信单价', 'Price per SMS segment'),
  optOutSuffix: m('退订语', 'Opt-out suffix'),
  timeZone: m('时区', 'Time zone'),
  goal: m('旅程目标', 'Journey goal'),
  goalPurchase: m('回购', 'Purchase'),
  goalTriggerPaid: m('触发订单付款', 'Trigger order paid'),
  yuan: m('元', 'CNY'),
  percent: m('%', '%'),
  // Templates
  templatesTitle: m('从模板开始', 'Start from a template'),
  useTemplate: m('使用模板', 'Use template'),
  blankJourney: m('空白旅程', 'Blank journey'),
  blankJourneyDesc: m('从一个人群入口开始自己画', 'Start from one audience entry and draw your own'),
  templateStats: m('{nodes} 个节点 · {sms} 条短信', '{nodes} nodes · {sms} SMS'),
  close: m('关闭', 'Close'),
  tplNewBuyer1111: m('双11新客回购（5个月）', '11.11 new-buyer cycle (5 months)'),
  tplNewBuyer1111Desc: m('按品类分组感谢、发券、关怀，之后每月唤醒未回购者，共 5 轮', 'Thanks, coupon and care by category, then monthly win-back of non-returners for 5 cycles'),
  tplPaymentReminder: m('催付', 'Payment reminder'),
  tplPaymentReminderDesc: m('下单未付款：好时段提醒，二次提醒，大额转人工', 'Unpaid orders: remind at good hours, remind again, route large orders to staff'),
  tplOrderCare: m('订单关怀', 'Order care'),
  tplOrderCareDesc: m('付款、发货、签收各环节的贴心通知', 'Thoughtful notices when paid, shipped and signed for'),
  tplRefundCare: m('退款关怀', 'Refund care'),
  tplRefundCareDesc: m('退款完成后的致歉与挽回', 'Apologise and win back after a refund'),
  tplNeutralReview: m('中评提醒', 'Neutral review alert'),
  tplNeutralReviewDesc: m('买家中评时提醒店主联系', 'Alert the shop owner to contact buyers who leave neutral reviews'),
  tplBirthday: m('生日关怀', 'Birthday care'),
  tplBirthdayDesc: m('每天检查生日，送上祝福和生日券', 'Checked daily: birthday wishes and a birthday coupon'),
  tplReplenishment: m('补货提醒', 'Replenishment'),
  tplReplenishmentDesc: m('购买 N 天后，用完之前提醒回购', 'N days after purchase, remind before it runs out'),
  tplWarmup: m('大促预热', 'Pre-promotion warm-up'),
  tplWarmupDesc: m('大促前 2-3 天按 RFM 分组、分时预热', '2-3 days before a big sale, by RFM group and timing'),
  // Canvas
  emptyCanvas: m('从左侧拖入节点，或从模板开始', 'Drag nodes from the left, or start from a template'),
  problemsOnNode: m('{count} 个问题', '{count} problems'),
  portOut: m('下一步', 'next'),
  portElse: m('其他', 'else'),
  portBody: m('循环体', 'body'),
  portDone: m('完成', 'done'),
  portEvent: m('事件发生', 'event'),
  portTimeout: m('超时', 'timeout'),
  shortcutsHint: m('Delete 删除 · Ctrl+Z/Y 撤销/重做 · Ctrl+C/V 复制/粘贴 · Shift 拖动多选', 'Delete · Ctrl+Z/Y undo/redo · Ctrl+C/V copy/paste · Shift+drag to multi-select'),
} as const satisfies Record<string, LocalizedText>;

export type MessageKey = keyof typeof catalogue;
export type Params = Readonly<Record<string, string | number>>;

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return catalogue[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Registry texts (node labels, field hints, error messages) in the current language. */
export function localize(lang: Lang, text: LocalizedText): string {
  return text[lang];
}

export interface I18n {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
  readonly t: (key: MessageKey, params?: Params) => string;
  readonly l: (text: LocalizedText) => string;
}

export function makeI18n(lang: Lang, setLang: (lang: Lang) => void): I18n {
  return { lang, setLang, t: (key, params) => translate(lang, key, params), l: (text) => localize(lang, text) };
}

export const I18nContext = createContext<I18n>(makeI18n(DEFAULT_LANG, () => undefined));

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export const htmlLang: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };
