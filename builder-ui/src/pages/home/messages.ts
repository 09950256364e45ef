import { m } from '../../text.ts';

/** The Home page's strings (keys unique across the app: prefixed with the page's name). */
export const homeMessages = {
  navHome: m('首页', 'Home'),
  homeSubtitle: m(
    '所有旅程：现在在做什么、有多少人在里面、发了多少短信',
    'Every journey: what it is doing, who is in it, what it sent',
  ),
  homeNewJourney: m('新建旅程', 'New journey'),
  homeSearch: m('按名称搜索', 'Search by name'),
  homeShowActive: m('使用中', 'In use'),
  homeShowArchived: m('已归档', 'Archived'),
  homeColName: m('旅程', 'Journey'),
  homeColState: m('状态', 'State'),
  homeColCurrentRun: m('当前运行', 'Current run'),
  homeColPeopleIn: m('在旅程中', 'People in'),
  homeColMessagesSent: m('已发短信', 'Messages sent'),
  homeColEdited: m('最后编辑', 'Last edited'),
  homeNoCurrentRun: m('无', 'None'),
  homeArchive: m('归档', 'Archive'),
  homeUnarchive: m('恢复', 'Restore'),
  homeArchived: m('已归档“{name}”', 'Archived “{name}”'),
  homeUnarchived: m('已恢复“{name}”', 'Restored “{name}”'),
  homeEmpty: m(
    '还没有旅程。点“新建旅程”从空白或模板开始。',
    'No journeys yet. Use “New journey” to start blank or from a template.',
  ),
  homeNoMatch: m('没有符合条件的旅程', 'No journey matches'),
  homeStateDraft: m('草稿', 'Draft'),
  homeStatePublished: m('已发布', 'Published'),
  homeStatePaused: m('已暂停', 'Paused'),
  homeStateDraining: m('收尾中（不再进人）', 'Draining (no new entries)'),
  homeStateStopped: m('已停止', 'Stopped'),
  homeStateArchived: m('已归档', 'Archived'),
};
