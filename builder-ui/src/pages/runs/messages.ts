import { m } from '../../text.ts';

/** The Runs page's strings (keys unique across the app: prefixed with the page's name). */
export const runsMessages = {
  navRuns: m('运行记录', 'Runs'),
  runsSubtitle: m('所有旅程的运行，最新的在前', 'Runs of every journey, newest first'),
  runsFilterJourney: m('旅程', 'Journey'),
  runsFilterState: m('状态', 'State'),
  runsFilterFrom: m('从', 'From'),
  runsFilterTo: m('到', 'To'),
  runsAll: m('全部', 'All'),
  runsColCreated: m('创建时间', 'Created'),
  runsColJourney: m('旅程', 'Journey'),
  runsColState: m('状态', 'State'),
  runsColMembers: m('人数', 'Members'),
  runsColEnded: m('结束时间', 'Ended'),
  runsOpenMonitor: m('查看运行', 'Monitor'),
  runsEmpty: m('没有符合条件的运行', 'No run matches'),
};
