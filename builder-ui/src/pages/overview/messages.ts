import { m } from '../../text.ts';

/** The Shop overview page's strings (keys unique across the app: prefixed with the page's name). */
export const overviewMessages = {
  navOverview: m('店铺概览', 'Shop overview'),
};
