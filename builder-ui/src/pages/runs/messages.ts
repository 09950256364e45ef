import { m } from '../../text.ts';

/** The Runs page's strings (keys unique across the app: prefixed with the page's name). */
export const runsMessages = {
  navRuns: m('运行记录', 'Runs'),
};
