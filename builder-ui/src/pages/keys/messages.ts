import { m } from '../../text.ts';

/** The API keys page's strings (keys unique across the app: prefixed with the page's name). */
export const keysMessages = {
  navKeys: m('API 密钥', 'API keys'),
};
