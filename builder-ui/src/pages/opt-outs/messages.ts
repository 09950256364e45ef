import { m } from '../../text.ts';

/** The Opt-outs page's strings (keys unique across the app: prefixed with the page's name). */
export const optOutsMessages = {
  navOptOuts: m('退订名单', 'Opt-outs'),
};
