import { m } from '../../text.ts';

/** The audit log page's strings (keys unique across the app: prefixed with the page's name). */
export const auditMessages = {
  navAudit: m('审计日志', 'Audit log'),
  auditSubtitle: m('每次修改与运维操作的记录，最新在前', 'Every change and ops action, newest first'),
  auditWho: m('操作人', 'Who'),
  auditAnyone: m('所有人', 'Anyone'),
  auditAction: m('操作', 'Action'),
  auditAnyAction: m('所有操作', 'Any action'),
  auditFrom: m('从', 'From'),
  auditTo: m('到', 'To'),
  auditClear: m('清除筛选', 'Clear filters'),
  auditAt: m('时间', 'When'),
  auditEntity: m('对象', 'Entity'),
  auditDetails: m('详情', 'Details'),
  auditEmpty: m('没有符合条件的记录', 'No entries match'),
  auditTotal: m('共 {total} 条', '{total} entries'),
};
