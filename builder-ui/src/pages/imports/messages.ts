import { m } from '../../text.ts';

/** The Imports page's strings (keys unique across the app: prefixed with the page's name). */
export const importsMessages = {
  navImports: m('数据导入', 'Imports'),
};
