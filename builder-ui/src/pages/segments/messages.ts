import { m } from '../../text.ts';

/** The Segments page's strings (keys unique across the app: prefixed with the page's name). */
export const segmentsMessages = {
  navSegments: m('人群', 'Segments'),
  segmentsSubtitle: m(
    '保存常用的人群，在旅程的入口和分支里直接选用',
    'Save the audiences you use often and pick them in journey entries and splits',
  ),
  segmentsNew: m('新建人群', 'New segment'),
  segmentsEmpty: m('还没有保存的人群', 'No saved segments yet'),
  segmentsLoading: m('加载中…', 'Loading…'),
  segmentsLoadFailed: m('无法加载人群：{message}', 'Could not load the segments: {message}'),
  segmentsColName: m('名称', 'Name'),
  segmentsColCount: m('当前人数', 'Customers now'),
  segmentsColUsedBy: m('使用它的旅程', 'Used by'),
  segmentsColUpdated: m('更新时间', 'Updated'),
  segmentsUnused: m('未被使用', 'Not used'),
  segmentsArchive: m('归档', 'Archive'),
  segmentsArchiveConfirm: m(
    '归档人群“{name}”？已发布的旅程不受影响，但使用它的草稿需要换一个人群才能发布。',
    'Archive segment "{name}"? Published journeys keep working; drafts using it need another segment to publish.',
  ),
  segmentsArchiveFailed: m('归档失败：{message}', 'Archiving failed: {message}'),
  segmentEditTitle: m('编辑人群', 'Edit segment'),
  segmentNewTitle: m('新建人群', 'New segment'),
  segmentBack: m('← 全部人群', '← All segments'),
  segmentName: m('名称', 'Name'),
  segmentDefinition: m('条件', 'Conditions'),
  segmentSave: m('保存', 'Save'),
  segmentSaving: m('保存中…', 'Saving…'),
  segmentSaved: m('已保存', 'Saved'),
  segmentSaveFailed: m('保存失败：{message}', 'Saving failed: {message}'),
  segmentNameTaken: m('已有同名的人群，请换一个名称', 'Another segment has this name; choose another'),
  segmentNameMissing: m('请填写名称', 'Give the segment a name'),
  segmentPrefillInvalid: m(
    '链接里的条件无法读取，已从“所有人”开始',
    'The conditions in the link could not be read; starting from everyone',
  ),
  segmentArchived: m('这个人群已归档，只能查看', 'This segment is archived and can only be viewed'),
  segmentUsedBy: m('使用它的旅程：', 'Used by:'),
  segmentSnapshotNote: m(
    '修改只影响之后发布的旅程版本；已发布的版本保留发布时的条件。',
    'Changes apply to journey versions published from now on; published versions keep the conditions they were published with.',
  ),
};
