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
  smsSender: m('106 短信号码', 'SMS short code (106…)'),
  // Validation
  problems: m('问题', 'Problems'),
  noProblems: m('没有问题，可以发布', 'No problems: ready to publish'),
  problemsCount: m('{count} 个问题', '{count} problems'),
  journeyLevel: m('旅程', 'Journey'),
  needsNodes: m(
    '旅程还没有节点：从左侧拖入一个入口节点',
    'The journey has no nodes yet: drag an entry node from the left',
  ),
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
  shopLink: m('店铺短链接', 'Shop link'),
  shopLinkHelp: m('短信里 {link} 的值，按实际字数计费', 'The value of {link} in messages, counted as typed'),
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
  // Canvas
  emptyCanvas: m('从左侧拖入节点，或从模板开始', 'Drag nodes from the left, or start from a template'),
  problemsOnNode: m('{count} 个问题', '{count} problems'),
  portOut: m('下一步', 'next'),
  portElse: m('其他', 'else'),
  portBody: m('循环体', 'body'),
  portDone: m('完成', 'done'),
  portEvent: m('事件发生', 'event'),
  portTimeout: m('超时', 'timeout'),
  shortcutsHint: m(
    'Delete 删除 · Ctrl+Z/Y 撤销/重做 · Ctrl+C/V 复制/粘贴 · Shift 拖动多选',
    'Delete · Ctrl+Z/Y undo/redo · Ctrl+C/V copy/paste · Shift+drag to multi-select',
  ),
  // Sign-in and roles
  signInTitle: m('使用 API 密钥登录', 'Sign in with an API key'),
  apiKey: m('API 密钥', 'API key'),
  apiKeyHelp: m(
    '由管理员创建（POST /api/keys）；只保存在本浏览器',
    'Created by an admin (POST /api/keys); kept in this browser only',
  ),
  signIn: m('登录', 'Sign in'),
  signOut: m('退出', 'Sign out'),
  roleAdmin: m('管理员', 'Admin'),
  roleMarketer: m('营销', 'Marketer'),
  roleOps: m('运维', 'Ops'),
  roleEngineer: m('工程师', 'Engineer'),
  roleViewer: m('只读', 'Viewer'),
  readOnlyRole: m('当前角色只能查看', 'Your role can only view'),
  // API errors in plain words
  errUnreachable: m('连不上引擎，请检查它是否在运行', 'Cannot reach the engine: is it running?'),
  errUnauthenticated: m('密钥无效或已被吊销，请重新登录', 'The key is unknown or revoked: sign in again'),
  errForbidden: m('当前角色无权执行此操作', 'Your role may not do this'),
  errNotFound: m('找不到该对象', 'Not found'),
  errConflict: m('当前状态下不能这样做：{message}', 'Not possible in the current state: {message}'),
  errJourneyInvalid: m('旅程还有 {count} 个问题，未发布', 'The journey has {count} problems and was not published'),
  errInvalid: m('输入有误：{message}', 'Invalid input: {message}'),
  errWhere: m('（{path}）', ' ({path})'),
  errTemporal: m(
    '引擎暂时无法调度旅程（Temporal 不可用），请稍后再试',
    'The engine cannot reach Temporal right now: try again shortly',
  ),
  errOther: m('出错了：{message}', 'Something went wrong: {message}'),
  // Journeys, publishing, runs
  yourJourneys: m('我的旅程', 'Your journeys'),
  journeyDraft: m('草稿', 'Draft'),
  journeyPublished: m('已发布 v{version}', 'Published v{version}'),
  validateOnServer: m('服务端校验', 'Validate on server'),
  serverValid: m('服务端校验通过', 'The server found no problems'),
  serverInvalid: m('服务端发现 {count} 个问题', 'The server found {count} problems'),
  publishTitle: m('发布新版本', 'Publish a new version'),
  publishNotes: m('版本说明', 'Version notes'),
  publishHelp: m(
    '发布后该版本不可修改；运行始终使用发布时的版本',
    'A published version never changes; runs keep the version they started on',
  ),
  cancel: m('取消', 'Cancel'),
  startRun: m('立即运行', 'Start a run now'),
  runs: m('运行记录', 'Runs'),
  noRuns: m('尚无运行', 'No runs yet'),
  runsCount: m('运行记录（{count}）', 'Runs ({count})'),
  // Monitor
  monitorTitle: m('运行监控', 'Run monitor'),
  backToEditor: m('返回画布', 'Back to the builder'),
  tabMonitor: m('监控', 'Monitor'),
  tabReport: m('效果报告', 'Report'),
  runState: m('状态：{state}', 'State: {state}'),
  runMembers: m('{count} 人（对照组 {holdout}%）', '{count} members ({holdout}% holdout)'),
  statePending: m('启动中', 'starting'),
  stateScheduled: m('已排期', 'scheduled'),
  stateRunning: m('运行中', 'running'),
  statePaused: m('已暂停', 'paused'),
  stateDraining: m('收尾中', 'draining'),
  stateStopped: m('已停止', 'stopped'),
  stateCompleted: m('已完成', 'completed'),
  stateFailed: m('失败', 'failed'),
  stateFailedToStart: m('启动失败', 'failed to start'),
  stateUnknown: m('未知', 'unknown'),
  countEntered: m('进入 {count}', 'in {count}'),
  countWaiting: m('停留 {count}', 'here {count}'),
  countExited: m('离开 {count}', 'left {count}'),
  controlPause: m('暂停', 'Pause'),
  controlResume: m('恢复', 'Resume'),
  controlDrain: m('收尾', 'Drain'),
  controlStop: m('停止', 'Stop'),
  confirmPause: m(
    '暂停后不再发送任何消息，客户停在原处，恢复后继续。',
    'Nothing is sent while paused; members hold their place and go on after resume.',
  ),
  confirmResume: m(
    '恢复后旅程继续运行，暂停期间到期的步骤按既定策略处理。',
    'The journey goes on; steps whose time passed while paused follow the stated policy.',
  ),
  confirmDrain: m(
    '收尾：不再开始新的分片或新一轮循环，已在途的客户走完。',
    'Drain: nothing new starts (no new shards or cycles); members on their way finish.',
  ),
  confirmStop: m(
    '停止后所有客户立即退出，未到期的评估不再进行。此操作不能撤销。',
    'Everyone exits now and pending checkpoints are dropped. This cannot be undone.',
  ),
  messagesTitle: m('短信统计', 'Messages'),
  msgSent: m('已发送', 'Sent'),
  msgDelivered: m('已送达', 'Delivered'),
  msgFailed: m('失败', 'Failed'),
  msgPending: m('发送中', 'Pending'),
  msgSkipped: m('已跳过', 'Skipped'),
  msgSegments: m('计费条数', 'Billed SMS'),
  msgCost: m('费用', 'Cost'),
  skipReasons: m('跳过原因', 'Skipped, by reason'),
  noSkips: m('没有跳过的消息', 'No messages skipped'),
  messagesByNode: m('按节点', 'By node'),
  skipOptedOut: m('已退订', 'Opted out'),
  skipFrequencyCap: m('超过频次上限', 'Frequency cap'),
  skipQuietHours: m('免打扰时段', 'Quiet hours'),
  skipSuppressed: m('屏蔽名单', 'Suppressed'),
  skipNoPhone: m('无手机号', 'No phone number'),
  skipPaused: m('旅程暂停', 'Journey paused'),
  skipStopped: m('旅程停止', 'Journey stopped'),
  // Report
  reportTitle: m('效果报告：触达组 vs 对照组', 'Report: treatment vs holdout'),
  reportEmpty: m(
    '还没有评估结果：评估节点到期后出现在这里',
    'No evaluations yet: they appear here when checkpoints fire',
  ),
  exportCsv: m('导出 CSV', 'Export CSV'),
  treatment: m('触达组', 'Treatment'),
  holdoutArm: m('对照组', 'Holdout'),
  groupAll: m('全体', 'Everyone'),
  repTargets: m('目标客户', 'Target customers'),
  repSent: m('发送成功', 'Sent'),
  repDelivered: m('送达', 'Delivered'),
  repBilled: m('计费条数', 'Billed SMS'),
  repResponseRate: m('响应率', 'Response rate'),
  repBuyers: m('购买客户', 'Buying customers'),
  repSales: m('活动销售额', 'Campaign sales'),
  repAov: m('客单价', 'Average order value'),
  repConversion: m('转化率', 'Conversion rate'),
  repCost: m('成本（短信+券）', 'Cost (SMS + coupons)'),
  repRoi: m('投入产出比', 'ROI (revenue : cost)'),
  liftLine: m(
    '提升 {lift}（95% 区间 {low} ~ {high}，p = {p}）：{verdict}',
    'Lift {lift} (95% CI {low} to {high}, p = {p}): {verdict}',
  ),
  significant: m('显著', 'significant'),
  notSignificant: m('不显著', 'not significant'),
  liftNone: m('对照组为空，无法计算提升', 'No holdout: the lift cannot be computed'),
  incrementalSales: m('增量销售额 {sales}', 'Incremental sales {sales}'),
  chartResponse: m('各评估点响应率', 'Response rate per checkpoint'),
  chartCostRoi: m('各评估点成本与投入产出比', 'Cost and ROI per checkpoint'),
  // Simulate (panels/SimulatePanel.tsx)
  simulate: m('模拟', 'Simulate'),
  simulateTitle: m('模拟运行（沙盒，不会真实发送）', 'Simulate (sandbox: nothing is really sent)'),
  simulateHelp: m(
    '用真实的工作流与活动，在时间快进的沙盒中跑完画布上的旅程；数据来自演示店铺或复制进沙盒的一位顾客，真实数据不受影响。',
    'Runs the journey on the canvas to the end in a time-skipping sandbox with the real workflows and activities, on the demo shop or one customer copied into it; real data is never touched.',
  ),
  simulateAudience: m('模拟人群', 'Audience'),
  simulateDemoShop: m('演示店铺', 'Demo shop'),
  simulateCustomer: m('单个测试顾客', 'One test customer'),
  simulateCustomerId: m('顾客 ID', 'Customer id'),
  simulateRun: m('开始模拟', 'Run simulation'),
  simulateRunning: m('模拟中…已用 {seconds} 秒', 'Simulating… {seconds} s so far'),
  simulateSummary: m(
    '{members} 人进入（对照组 {holdout} 人），模拟了 {days} 天',
    '{members} entered ({holdout} in the holdout), {days} days simulated',
  ),
  simNode: m('节点', 'Node'),
  simEntered: m('进入', 'Entered'),
  simPorts: m('分流', 'By port'),
  simSmsSent: m('短信发送', 'SMS sent'),
  simSkipped: m('跳过（原因）', 'Skipped (reason)'),
  simSegments: m('计费条数', 'billed SMS'),
  simCost: m('短信费用', 'SMS cost'),
  simCoupons: m('发券', 'Coupons'),
  simExpected: m('预计自然响应', 'Expected responses'),
  simExpectedHelp: m(
    '处理组人数 × 沙盒历史中同样时长的自然回购率（基线，不含活动带来的提升）',
    'Treatment members × the natural repurchase rate over the same window in the sandbox history (a baseline, without the campaign lift)',
  ),
  // Segment builder (inspector/SegmentBuilder.tsx)
  segAll: m('满足全部', 'Match all'),
  segAny: m('满足任一', 'Match any'),
  segAddCondition: m('+ 条件', '+ Condition'),
  segAddGroup: m('+ 条件组', '+ Group'),
  segRemove: m('移除', 'Remove'),
  segKindPurchase: m('购买行为', 'Purchases'),
  segKindRfm: m('RFM 分组', 'RFM group'),
  segKindLifecycle: m('生命周期', 'Lifecycle'),
  segKindTags: m('标签', 'Tags'),
  segKindRegion: m('地区（省份）', 'Region (province)'),
  segKindJson: m('其他（JSON）', 'Other (JSON)'),
  segMetricCount: m('购买次数', 'Number of purchases'),
  segMetricSum: m('购买金额', 'Amount spent'),
  segMetricAvg: m('平均客单价', 'Average order value'),
  segMetricMax: m('最大单笔金额', 'Largest order'),
  segCategories: m('品类', 'Categories'),
  segCategoryUnknown: m(
    '店铺没有这个品类（已删除或未导入）',
    'The shop has no such category (removed or not imported)',
  ),
  segRoles: m('商品角色', 'Product roles'),
  segWindowAllTime: m('全部时间', 'All time'),
  segWindowLastDays: m('最近 N 天', 'Last N days'),
  segWindowDates: m('日期范围', 'Dates'),
  segWindowSinceEntry: m('进入旅程以来', 'Since entering the journey'),
  segWindowSinceCycle: m('本轮开始以来', 'Since the cycle started'),
  segBetween: m('介于', 'between'),
  segAnyCategory: m('全部品类', 'Any category'),
  segTagsHasAny: m('含任一', 'has any of'),
  segTagsHasAll: m('含全部', 'has all of'),
  segTagsHasNone: m('不含', 'has none of'),
  segExclude: m('排除', 'Exclude'),
  segExclOptedOut: m('已退订', 'Opted out'),
  segExclBadReviewer: m('差评用户', 'Bad reviewers'),
  segExclLowResponse: m('低响应', 'Low response'),
  segExclCannotReactivate: m('无法唤醒', 'Cannot be reactivated'),
  segCount: m('当前约 {count} 人', 'About {count} customers now'),
  segCounting: m('计算人数中…', 'Counting…'),
  segCountFailed: m('无法计算人数：{message}', 'Cannot count: {message}'),
  segShowJson: m('JSON', 'JSON'),
  segShowForm: m('表单', 'Form'),
  segAddBranch: m('+ 分支', '+ Branch'),
  segBranchKey: m('分支标识', 'Port key'),
  segBranchName: m('分支名称', 'Branch name'),
} as const satisfies Record<string, LocalizedText>;

export type MessageKey = keyof typeof catalogue;
export type Params = Readonly<Record<string, string | number>>;

export function translate(lang: Lang, key: MessageKey, params: Params = {}): string {
  return catalogue[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
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
