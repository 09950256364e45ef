import { m } from '../../text.ts';

/** The Opt-outs page's strings (keys unique across the app: prefixed with the page's name). */
export const optOutsMessages = {
  navOptOuts: m('退订名单', 'Opt-outs'),
  optOutsSubtitle: m(
    '名单上的号码不会再收到营销短信：回复退订、店铺系统同步或在这里手动添加。',
    'Numbers on the list never get marketing SMS again: opted out by reply, by the shop system, or added here.',
  ),
  optOutsAddTitle: m('手动添加', 'Add by hand'),
  optOutsWho: m('手机号或客户编号', 'Phone number or customer id'),
  optOutsReason: m('原因', 'Reason'),
  optOutsReasonHint: m('例如：客户来电要求不再接收短信', 'e.g. the customer asked on the phone'),
  optOutsAdd: m('加入退订名单', 'Add to the list'),
  optOutsAdded: m('已加入退订名单', 'Added to the list'),
  optOutsAlready: m('这个号码已在退订名单上', 'This number is on the list already'),
  optOutsSearch: m('搜索手机号、客户编号或昵称', 'Search phone, customer id or nickname'),
  optOutsPhone: m('手机号', 'Phone'),
  optOutsCustomer: m('客户', 'Customer'),
  optOutsSource: m('来源', 'Source'),
  optOutsSourceManual: m('手动添加', 'Added by hand'),
  optOutsSourceReply: m('短信回复「{keyword}」', 'SMS reply "{keyword}"'),
  optOutsSourceApi: m('店铺系统', 'Shop system'),
  optOutsWhen: m('时间', 'When'),
  optOutsBy: m('操作人', 'By'),
  optOutsRemove: m('移出名单', 'Remove'),
  optOutsRemoveReason: m('移出原因', 'Reason for removing'),
  optOutsConfirmRemove: m('确认移出', 'Confirm removal'),
  optOutsCancel: m('取消', 'Cancel'),
  optOutsRemoved: m('已移出退订名单', 'Removed from the list'),
  optOutsNone: m('退订名单为空', 'The list is empty'),
  optOutsNoMatch: m('没有匹配的记录', 'Nothing matches'),
};
