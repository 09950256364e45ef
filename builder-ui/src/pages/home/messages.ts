import { m } from '../../text.ts';

/** The Home page's strings (keys unique across the app: prefixed with the page's name). */
export const homeMessages = {
  navHome: m('首页', 'Home'),
};
