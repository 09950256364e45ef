import { m } from '../../text.ts';

/** The Settings page's strings (keys unique across the app: prefixed with the page's name). */
export const settingsMessages = {
  navSettings: m('设置', 'Settings'),
};
