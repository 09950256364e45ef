import { m } from './text.ts';

/** The side navigation's own strings (each page's title is in its folder's messages.ts). */
export const shellMessages = {
  navGroupWork: m('工作台', 'Work'),
  navGroupInsight: m('洞察', 'Insight'),
  navGroupData: m('数据', 'Data'),
  navGroupAdmin: m('管理', 'Admin'),
  navInbox: m('待办', 'Inbox'),
  navMain: m('主导航', 'Main navigation'),
  notFoundTitle: m('没有这个页面', 'No such page'),
  notFoundBody: m('地址可能输错了，或者页面已被移走。', 'The address may be mistyped, or the page has moved.'),
  backHome: m('回到首页', 'Back to home'),
  // Pager.tsx, shared by the workspace lists
  pagerLabel: m('分页', 'Pages'),
  pagerPrev: m('上一页', 'Previous'),
  pagerNext: m('下一页', 'Next'),
  pagerRange: m('第 {from}–{to} 条，共 {total} 条', '{from}–{to} of {total}'),
};
