import { m } from '../../text.ts';

/** The Schedules page's strings (keys unique across the app: prefixed with the page's name). */
export const schedulesMessages = {
  navSchedules: m('定时任务', 'Schedules'),
};
